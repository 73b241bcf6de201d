package io.vhba.emulator.platform;

import io.vhba.miniport.MemoryBuffer;

/** A window of a {@link HostBuffer} (pointer arithmetic in C). */
final class HostBufferSlice implements MemoryBuffer {
    private final HostBuffer base;
    private final int offset;
    private final int length;

    HostBufferSlice(HostBuffer base, int offset, int length) {
        this.base = base;
        this.offset = offset;
        this.length = length;
    }

    private int at(int off, int size) {
        if (off < 0 || size < 0 || off + size > length) {
            throw new IndexOutOfBoundsException("access [" + off + ", +" + size + ") outside slice of " + length + " bytes");
        }
        return offset + off;
    }

    @Override public long virtualAddress() { return base.virtualAddress() + offset; }
    @Override public int length() { return length; }
    @Override public byte getByte(int o) { return base.getByte(at(o, 1)); }
    @Override public short getShort(int o) { return base.getShort(at(o, 2)); }
    @Override public int getInt(int o) { return base.getInt(at(o, 4)); }
    @Override public long getLong(int o) { return base.getLong(at(o, 8)); }
    @Override public void putByte(int o, byte v) { base.putByte(at(o, 1), v); }
    @Override public void putShort(int o, short v) { base.putShort(at(o, 2), v); }
    @Override public void putInt(int o, int v) { base.putInt(at(o, 4), v); }
    @Override public void putLong(int o, long v) { base.putLong(at(o, 8), v); }
    @Override public void get(int o, byte[] dst, int d, int n) { base.get(at(o, n), dst, d, n); }
    @Override public void put(int o, byte[] src, int s, int n) { base.put(at(o, n), src, s, n); }
    @Override public void fill(int o, int n, byte v) { base.fill(at(o, n), n, v); }
    @Override public MemoryBuffer slice(int o, int n) { return new HostBufferSlice(base, at(o, n), n); }
}
