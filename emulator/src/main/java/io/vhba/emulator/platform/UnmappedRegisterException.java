package io.vhba.emulator.platform;

import io.vhba.hw.Width;

/** A register access at a virtual address no mapped BAR covers. */
public final class UnmappedRegisterException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long virtualAddress;

    public UnmappedRegisterException(long virtualAddress, Width width) {
        super(String.format("%s register access at 0x%X: no mapped device window", width, virtualAddress));
        this.virtualAddress = virtualAddress;
    }

    public long virtualAddress() {
        return virtualAddress;
    }
}
