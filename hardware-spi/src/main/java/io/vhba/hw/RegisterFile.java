package io.vhba.hw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A declarative MMIO register file (one BAR): a table of {@link Register}s with offset,
 * width, access mode, reset value and side-effect hooks, in the manner of QEMU's register
 * tables and Renode's register fields. The platform routes driver accesses here; the device
 * model updates its own registers with {@link #set}, {@link #setBits} and {@link #clearBits}.
 *
 * <p>Stored values are atomic, so a device worker thread and a driver thread may touch the
 * same register concurrently, as on real hardware.
 */
public final class RegisterFile {
    private final String name;
    private final int size;
    private final Register[] byOffset;
    private final int[] indexByOffset;
    private final Map<String, Integer> indexByName;
    private final List<Register> registers;
    private final AtomicLongArray values;

    private RegisterFile(String name, int size, List<Register> regs) {
        this.name = name;
        this.size = size;
        this.registers = Collections.unmodifiableList(regs);
        this.byOffset = new Register[size];
        this.indexByOffset = new int[size];
        this.indexByName = new LinkedHashMap<>();
        this.values = new AtomicLongArray(regs.size());
        for (int i = 0; i < regs.size(); i++) {
            Register r = regs.get(i);
            if (r.offset() < 0 || r.offset() + r.width().bytes() > size || r.offset() % r.width().bytes() != 0) {
                throw new IllegalArgumentException(name + ": register " + r.name() + " at 0x"
                        + Integer.toHexString(r.offset()) + " is misaligned or outside the " + size + "-byte file");
            }
            for (int b = 0; b < r.width().bytes(); b++) {
                if (byOffset[r.offset() + b] != null) {
                    throw new IllegalArgumentException(name + ": " + r.name() + " overlaps " + byOffset[r.offset() + b].name());
                }
                byOffset[r.offset() + b] = r;
                indexByOffset[r.offset() + b] = i;
            }
            if (indexByName.put(r.name(), i) != null) {
                throw new IllegalArgumentException(name + ": duplicate register " + r.name());
            }
            values.set(i, r.resetValue());
        }
    }

    public static Builder builder(String name, int size) {
        return new Builder(name, size);
    }

    public String name() {
        return name;
    }

    /** The size of the window in bytes (the BAR length). */
    public int size() {
        return size;
    }

    public List<Register> registers() {
        return registers;
    }

    /** The register that starts exactly at {@code offset}, or null. */
    public Register registerAt(int offset) {
        if (offset < 0 || offset >= size) {
            return null;
        }
        Register r = byOffset[offset];
        return r != null && r.offset() == offset ? r : null;
    }

    /** Restores every register to its reset value (no hooks run). */
    public void reset() {
        for (int i = 0; i < registers.size(); i++) {
            values.set(i, registers.get(i).resetValue());
        }
    }

    // ---- driver-side access (through the platform's MMIO bus) ---------------------------

    /**
     * A driver read. Returns the value, or throws {@link RegisterAccessException} with the
     * reason when the access does not match the table.
     */
    public long read(int offset, Width width) {
        Register r = checkedRegister(offset, width);
        int i = indexByOffset[offset];
        if (r.access() == Access.WO) {
            throw new RegisterAccessException(this, offset, width, RegisterAccessResult.READ_OF_WRITE_ONLY);
        }
        long stored = r.access() == Access.RC ? values.getAndSet(i, 0) : values.get(i);
        return (r.readHook() != null ? r.readHook().onRead(stored) : stored) & width.mask();
    }

    /** A driver write; runs the register's write hook after the stored value has changed. */
    public void write(int offset, Width width, long value) {
        Register r = checkedRegister(offset, width);
        int i = indexByOffset[offset];
        long v = value & width.mask();
        long old;
        long now;
        switch (r.access()) {
            case RO -> throw new RegisterAccessException(this, offset, width, RegisterAccessResult.WRITE_TO_READ_ONLY);
            case W1C -> {
                do {
                    old = values.get(i);
                    now = old & ~v;
                } while (!values.compareAndSet(i, old, now));
            }
            default -> {
                old = values.getAndSet(i, v);
                now = v;
            }
        }
        if (r.writeHook() != null) {
            r.writeHook().onWrite(old, v, now);
        }
    }

    private Register checkedRegister(int offset, Width width) {
        Register r = registerAt(offset);
        if (r == null) {
            throw new RegisterAccessException(this, offset, width, RegisterAccessResult.UNDECLARED_OFFSET);
        }
        if (r.width() != width) {
            throw new RegisterAccessException(this, offset, width, RegisterAccessResult.WIDTH_MISMATCH);
        }
        return r;
    }

    // ---- device-side access --------------------------------------------------------------

    public long get(String register) {
        return values.get(index(register));
    }

    public void set(String register, long value) {
        values.set(index(register), value);
    }

    /** Atomically ORs {@code bits} in; returns the new value. */
    public long setBits(String register, long bits) {
        int i = index(register);
        long old;
        do {
            old = values.get(i);
        } while (!values.compareAndSet(i, old, old | bits));
        return old | bits;
    }

    /** Atomically clears {@code bits}; returns the new value. */
    public long clearBits(String register, long bits) {
        int i = index(register);
        long old;
        do {
            old = values.get(i);
        } while (!values.compareAndSet(i, old, old & ~bits));
        return old & ~bits;
    }

    public long getField(String register, String field) {
        Register r = registers.get(index(register));
        return r.field(field).get(values.get(index(register)));
    }

    private int index(String register) {
        Integer i = indexByName.get(register);
        if (i == null) {
            throw new IllegalArgumentException(name + " has no register " + register);
        }
        return i;
    }

    /** Builds a register file row by row. */
    public static final class Builder {
        private final String name;
        private final int size;
        private final List<Register> regs = new ArrayList<>();

        private Builder(String name, int size) {
            this.name = name;
            this.size = size;
        }

        public Builder register(String regName, int offset, Width width, Access access) {
            return register(regName, offset, width, access, 0, null, null);
        }

        public Builder register(String regName, int offset, Width width, Access access, long resetValue,
                                Register.ReadHook readHook, Register.WriteHook writeHook, RegisterField... fields) {
            regs.add(new Register(regName, offset, width, access, resetValue, List.of(fields), readHook, writeHook));
            return this;
        }

        public RegisterFile build() {
            return new RegisterFile(name, size, new ArrayList<>(regs));
        }
    }
}
