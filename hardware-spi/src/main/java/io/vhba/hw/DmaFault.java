package io.vhba.hw;

/** A DMA access that hit no allocation, or one failed by fault injection. */
public final class DmaFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long physicalAddress;
    private final int length;

    public DmaFault(long physicalAddress, int length, String reason) {
        super(String.format("DMA fault at physical 0x%X (+%d): %s", physicalAddress, length, reason));
        this.physicalAddress = physicalAddress;
        this.length = length;
    }

    public long physicalAddress() {
        return physicalAddress;
    }

    public int length() {
        return length;
    }
}
