package io.vhba.emulator.platform;

import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import java.util.Arrays;

/**
 * The memory-mapped I/O space: register files are assigned physical windows (BARs) and mapped
 * to kernel virtual addresses by {@code StorPortGetDeviceBase}. A register access is routed to
 * the file owning the address; an access outside every mapped window is an
 * {@link UnmappedRegisterException}, one at an undeclared offset a
 * {@link io.vhba.hw.RegisterAccessException}. The Storport verifier reports both.
 */
public final class MmioBus {
    public static final long MMIO_PHYS_BASE = 0xFE00_0000L;
    public static final long MMIO_VA_BASE = 0xFFFF_B000_0000_0000L;

    /** One BAR: its physical window, the register file behind it, and whether a driver mapped it. */
    public record Window(long physicalBase, RegisterFile file, String owner) {
        long virtualBase() {
            return MMIO_VA_BASE + (physicalBase - MMIO_PHYS_BASE);
        }

        boolean containsVa(long va, int size) {
            long rel = va - virtualBase();
            return rel >= 0 && rel + size <= file.size();
        }
    }

    private volatile Window[] windows = new Window[0];
    private long next = MMIO_PHYS_BASE;

    /** Assigns {@code file} a physical window aligned to its size (at least a page), as PCI does for BARs. */
    public synchronized long assign(RegisterFile file, String owner) {
        long align = Math.max(HostMemory.PAGE_SIZE, Long.highestOneBit(Math.max(1, file.size() - 1)) << 1);
        long base = (next + align - 1) & -align;
        next = base + Math.max(file.size(), HostMemory.PAGE_SIZE);
        Window[] w = Arrays.copyOf(windows, windows.length + 1);
        w[w.length - 1] = new Window(base, file, owner);
        windows = w;
        return base;
    }

    /** Removes every window of {@code owner} (device removal). */
    public synchronized void unassign(String owner) {
        windows = Arrays.stream(windows).filter(w -> !w.owner().equals(owner)).toArray(Window[]::new);
    }

    /**
     * {@code MmMapIoSpace} as used by {@code StorPortGetDeviceBase}: the virtual address of
     * {@code physicalAddress}, or 0 when no window covers {@code [pa, pa + length)}. Kernel
     * addresses are negative as signed longs, so 0 (NULL) is the failure value, as in Windows.
     */
    public long map(long physicalAddress, int length) {
        for (Window w : windows) {
            long rel = physicalAddress - w.physicalBase();
            if (rel >= 0 && rel + length <= w.file().size()) {
                return w.virtualBase() + rel;
            }
        }
        return 0;
    }

    public long read(long virtualAddress, Width width) {
        Window w = window(virtualAddress, width);
        return w.file().read((int) (virtualAddress - w.virtualBase()), width);
    }

    public void write(long virtualAddress, Width width, long value) {
        Window w = window(virtualAddress, width);
        w.file().write((int) (virtualAddress - w.virtualBase()), width, value);
    }

    private Window window(long va, Width width) {
        for (Window w : windows) {
            if (w.containsVa(va, width.bytes())) {
                return w;
            }
        }
        throw new UnmappedRegisterException(va, width);
    }
}
