package io.vhba.emulator.scsi.disk;

import java.util.Objects;

/**
 * Identity, geometry and limits of one emulated disk. Immutable; validated on construction
 * (an {@link IllegalArgumentException} names the bad field).
 *
 * @param identity          what INQUIRY reports (vendor, product, revision, serial, NAA designator)
 * @param geometry          block size, capacity and physical block exponent
 * @param limits            the Block Limits VPD values (SBC-4 6.6.4) the device enforces
 * @param thinProvisioning  LBPME=1: UNMAP, WRITE SAME with UNMAP, deallocated blocks read back zero (LBPRZ=1)
 * @param readOnly          hardware write protect: every medium write fails with DATA PROTECT / WRITE PROTECTED
 * @param removable         RMB=1: START STOP UNIT LOEJ ejects and loads, PREVENT ALLOW MEDIUM REMOVAL applies
 * @param rotationRate      MEDIUM ROTATION RATE of VPD B1h: 1 = non-rotating (SSD), 0 = not reported, else rpm
 * @param targetPortGroupSupport the INQUIRY TPGS field (0..3); non-zero only when the target core answers
 *                          REPORT TARGET PORT GROUPS (SPC-4 6.6.2)
 * @param overwriteRate     how fast SANITIZE OVERWRITE writes the medium, in bytes per second per pass (0: as
 *                          fast as the store goes); see {@link #DEFAULT_OVERWRITE_RATE}
 */
public record DiskConfig(Identity identity, Geometry geometry, Limits limits, boolean thinProvisioning,
                         boolean readOnly, boolean removable, int rotationRate, int targetPortGroupSupport,
                         long overwriteRate) {

    /**
     * 128 MiB/s, a hard disk's pace: 8 s per pass over 1 GiB. A RAM store would overwrite it in a fraction of a
     * second, and hosts (and libiscsi's Sanitize.Reset) rely on seeing a sanitize in progress for a while.
     */
    public static final long DEFAULT_OVERWRITE_RATE = 128L << 20;

    /** The T10 vendor identification of every vHBA disk. */
    public static final String VENDOR = "VHBA";

    public DiskConfig {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(limits, "limits");
        require(rotationRate >= 0 && rotationRate <= 0xFFFF, "rotationRate must fit 16 bits");
        require(targetPortGroupSupport >= 0 && targetPortGroupSupport <= 3, "targetPortGroupSupport must be 0..3");
        require(overwriteRate >= 0, "overwriteRate must not be negative");
    }

    /**
     * INQUIRY identity (SPC-4 6.6.2, 7.8.6).
     *
     * @param product    PRODUCT IDENTIFICATION, at most 16 ASCII characters
     * @param revision   PRODUCT REVISION LEVEL, at most 4 ASCII characters
     * @param serial     the unit serial number of VPD 80h, 1..64 ASCII characters
     * @param naa        the logical unit's NAA designator, identical on every path
     */
    public record Identity(String product, String revision, String serial, NaaIdentifier naa) {
        public Identity {
            requireAscii(product, 16, "product");
            requireAscii(revision, 4, "revision");
            requireAscii(serial, 64, "serial");
            require(!serial.isEmpty(), "serial must not be empty");
            Objects.requireNonNull(naa, "naa");
        }
    }

    /**
     * A stable NAA IEEE Registered Extended designator (NAA 6, SPC-4 7.8.6.6.5): the 24-bit IEEE company id
     * and a 64-bit vendor specific identifier carried whole in the VENDOR SPECIFIC IDENTIFIER EXTENSION.
     */
    public record NaaIdentifier(int ieeeCompanyId, long vendorSpecific) {
        public NaaIdentifier {
            require(ieeeCompanyId >= 0 && ieeeCompanyId <= 0xFF_FFFF, "ieeeCompanyId must fit 24 bits");
        }

        /** The 16-byte designator: NAA 6h, company id, VENDOR SPECIFIC IDENTIFIER 0, the 64-bit extension. */
        public byte[] toBytes() {
            byte[] b = new byte[16];
            b[0] = (byte) (0x60 | (ieeeCompanyId >>> 20));
            b[1] = (byte) (ieeeCompanyId >>> 12);
            b[2] = (byte) (ieeeCompanyId >>> 4);
            b[3] = (byte) ((ieeeCompanyId & 0xF) << 4);
            Bytes.put64(b, 8, vendorSpecific);
            return b;
        }
    }

    /**
     * @param blockSize       logical block length in bytes: 512 or 4096
     * @param logicalBlocks   the number of logical blocks (capacity)
     * @param physicalBlockExponent LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT of READ CAPACITY(16) (0..15)
     */
    public record Geometry(int blockSize, long logicalBlocks, int physicalBlockExponent) {
        public Geometry {
            require(blockSize == 512 || blockSize == 4096, "blockSize must be 512 or 4096");
            require(logicalBlocks > 0 && logicalBlocks <= Long.MAX_VALUE / blockSize, "logicalBlocks out of range");
            require(physicalBlockExponent >= 0 && physicalBlockExponent <= 15, "physicalBlockExponent must be 0..15");
        }

        /**
         * A geometry given by its physical block length, which must be the logical block length times a power of
         * two up to 2^15 (512e: 512-byte logical blocks in 4096-byte physical blocks, exponent 3).
         */
        public static Geometry withPhysicalBlockSize(int blockSize, long logicalBlocks, int physicalBlockSize) {
            int ratio = physicalBlockSize / Math.max(1, blockSize);
            require(physicalBlockSize >= blockSize && physicalBlockSize % blockSize == 0 && Integer.bitCount(ratio) == 1
                    && ratio <= 1 << 15, "physicalBlockSize " + physicalBlockSize
                    + " is not " + blockSize + " times a power of two up to 2^15");
            return new Geometry(blockSize, logicalBlocks, Integer.numberOfTrailingZeros(ratio));
        }

        public long capacityBytes() {
            return logicalBlocks * blockSize;
        }

        /** Logical blocks per physical block (LBPPB, SBC-4 5.21.2). */
        public int logicalPerPhysical() {
            return 1 << physicalBlockExponent;
        }
    }

    /**
     * Limits advertised in the Block Limits VPD page and enforced by the device.
     *
     * @param maxTransferLength          MAXIMUM TRANSFER LENGTH in blocks (at least 256: READ(6) of 0 means 256)
     * @param optimalTransferGranularity OPTIMAL TRANSFER LENGTH GRANULARITY in blocks
     * @param maxUnmapLbaCount           MAXIMUM UNMAP LBA COUNT (thin provisioning only)
     * @param maxUnmapDescriptors        MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (thin provisioning only)
     * @param maxWriteSameLength         MAXIMUM WRITE SAME LENGTH in blocks
     * @param maxCompareAndWriteLength   MAXIMUM COMPARE AND WRITE LENGTH in blocks (1..255)
     * @param maxAtomicTransferLength    MAXIMUM ATOMIC TRANSFER LENGTH in blocks: the longest WRITE ATOMIC(16)
     *                                   (1..maxTransferLength)
     */
    public record Limits(int maxTransferLength, int optimalTransferGranularity, long maxUnmapLbaCount,
                         int maxUnmapDescriptors, long maxWriteSameLength, int maxCompareAndWriteLength,
                         int maxAtomicTransferLength) {

        /**
         * The default MAXIMUM ATOMIC TRANSFER LENGTH: 256 blocks (128 KiB at 512 bytes, 1 MiB at 4096), what
         * libiscsi's WriteAtomic16 suite writes at most. It must stay within the MAXIMUM TRANSFER LENGTH the port
         * finally advertises (SBC-4 6.6.4), which the target core lowers to the adapter's MaximumTransferLength
         * (1 MiB for the mailbox miniport).
         */
        public static final int DEFAULT_MAX_ATOMIC_TRANSFER_LENGTH = 256;

        /** Limits with the default MAXIMUM ATOMIC TRANSFER LENGTH (capped at {@code maxTransferLength}). */
        public Limits(int maxTransferLength, int optimalTransferGranularity, long maxUnmapLbaCount,
                      int maxUnmapDescriptors, long maxWriteSameLength, int maxCompareAndWriteLength) {
            this(maxTransferLength, optimalTransferGranularity, maxUnmapLbaCount, maxUnmapDescriptors,
                    maxWriteSameLength, maxCompareAndWriteLength,
                    Math.min(maxTransferLength, DEFAULT_MAX_ATOMIC_TRANSFER_LENGTH));
        }

        public Limits {
            require(maxTransferLength >= 256, "maxTransferLength must be at least 256 blocks");
            require(optimalTransferGranularity >= 0 && optimalTransferGranularity <= 0xFFFF,
                    "optimalTransferGranularity must fit 16 bits");
            require(maxUnmapLbaCount > 0 && maxUnmapLbaCount <= 0xFFFF_FFFFL, "maxUnmapLbaCount must be 1..2^32-1");
            require(maxUnmapDescriptors > 0 && maxUnmapDescriptors <= 4095,
                    "maxUnmapDescriptors must be 1..4095 (a 16-bit parameter list holds at most 4095)");
            require(maxWriteSameLength > 0, "maxWriteSameLength must be positive");
            require(maxCompareAndWriteLength >= 1 && maxCompareAndWriteLength <= 255,
                    "maxCompareAndWriteLength must be 1..255");
            require(maxAtomicTransferLength >= 1 && maxAtomicTransferLength <= maxTransferLength,
                    "maxAtomicTransferLength must be 1..maxTransferLength");
        }

        /**
         * Defaults: 16 Ki-block transfers (8 MiB at 512-byte blocks), 1 Mi-block UNMAP with 1024 descriptors,
         * WRITE SAME up to FFFFh blocks (libiscsi WriteSame16.Unmap writes 65536 blocks in one WRITE(16) first when
         * the limit reaches 65536, which the transfer limit would refuse), COMPARE AND WRITE up to 255 blocks.
         */
        public static Limits defaults() {
            return new Limits(16384, 8, 1 << 20, 1024, 0xFFFF, 255);
        }
    }

    /** A thick, writable, fixed SSD-like disk with default limits. */
    public static DiskConfig of(String product, String serial, NaaIdentifier naa, int blockSize, long logicalBlocks) {
        return new DiskConfig(new Identity(product, "0001", serial, naa), new Geometry(blockSize, logicalBlocks, 0),
                Limits.defaults(), false, false, false, 1, 0, DEFAULT_OVERWRITE_RATE);
    }

    public DiskConfig withThinProvisioning(boolean thin) {
        return new DiskConfig(identity, geometry, limits, thin, readOnly, removable, rotationRate, targetPortGroupSupport, overwriteRate);
    }

    public DiskConfig withReadOnly(boolean ro) {
        return new DiskConfig(identity, geometry, limits, thinProvisioning, ro, removable, rotationRate, targetPortGroupSupport, overwriteRate);
    }

    public DiskConfig withRemovable(boolean rmb) {
        return new DiskConfig(identity, geometry, limits, thinProvisioning, readOnly, rmb, rotationRate, targetPortGroupSupport, overwriteRate);
    }

    public DiskConfig withLimits(Limits l) {
        return new DiskConfig(identity, geometry, l, thinProvisioning, readOnly, removable, rotationRate, targetPortGroupSupport, overwriteRate);
    }

    public DiskConfig withGeometry(Geometry g) {
        return new DiskConfig(identity, g, limits, thinProvisioning, readOnly, removable, rotationRate, targetPortGroupSupport, overwriteRate);
    }

    public DiskConfig withOverwriteRate(long bytesPerSecond) {
        return new DiskConfig(identity, geometry, limits, thinProvisioning, readOnly, removable, rotationRate,
                targetPortGroupSupport, bytesPerSecond);
    }

    public DiskConfig withTargetPortGroupSupport(int tpgs) {
        return new DiskConfig(identity, geometry, limits, thinProvisioning, readOnly, removable, rotationRate, tpgs, overwriteRate);
    }

    public int blockSize() {
        return geometry.blockSize();
    }

    public long logicalBlocks() {
        return geometry.logicalBlocks();
    }

    private static void requireAscii(String s, int max, String name) {
        Objects.requireNonNull(s, name);
        require(s.length() <= max, name + " longer than " + max);
        // SPC-4 4.4.1: ASCII data fields hold only 20h..7Eh
        require(s.chars().allMatch(c -> c >= 0x20 && c <= 0x7E), name + " must be printable ASCII");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
