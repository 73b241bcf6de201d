package io.vhba.emulator.scsi.core;

import io.vhba.emulator.storport.PortLogicalUnit;

/**
 * A LUN of a target: the number initiators address, the engine's logical unit that serves it,
 * its geometry (for sizing transfers) and its unit attentions.
 */
public final class TargetLun {
    private final int lun;
    private final PortLogicalUnit port;
    private final int blockSize;
    private final byte[] designator;
    final UnitAttentions unitAttentions = new UnitAttentions();
    final MediumRemoval mediumRemoval = new MediumRemoval();

    public TargetLun(int lun, PortLogicalUnit port, int blockSize) {
        this(lun, port, blockSize, null);
    }

    /**
     * A LUN whose logical unit reports {@code designator} (its NAA name in VPD page 83h), so that the core can tell
     * which LUN an EXTENDED COPY descriptor names.
     */
    public TargetLun(int lun, PortLogicalUnit port, int blockSize, byte[] designator) {
        if (blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("block size must be 512 or 4096, not " + blockSize);
        }
        this.lun = lun;
        this.port = port;
        this.blockSize = blockSize;
        this.designator = designator == null ? null : designator.clone();
    }

    public int lun() {
        return lun;
    }

    public PortLogicalUnit port() {
        return port;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Whether the logical unit's NAA designator is {@code bytes}; false when the runtime gave none. */
    boolean hasDesignator(byte[] bytes) {
        return designator != null && java.util.Arrays.equals(designator, bytes);
    }
}
