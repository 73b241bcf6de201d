package io.vhba.emulator.config;

import io.vhba.emulator.scsi.disk.DiskConfig;

/**
 * One LUN of a target.
 *
 * @param lun       the LUN number (0..255)
 * @param size      capacity, e.g. {@code 1G}
 * @param blockSize 512 or 4096
 * @param physicalBlockSize the physical block length READ CAPACITY(16) reports through its LOGICAL BLOCKS PER
 *                  PHYSICAL BLOCK EXPONENT (SBC-4 5.21.2): a power-of-two multiple of {@code blockSize}, at most
 *                  2^15 times it; default 4096 (512-byte blocks are then "512e", as on most current disks)
 * @param readOnly  write-protected (DATA PROTECT on writes, WP in MODE SENSE)
 * @param thin      thin provisioned (LBPME, UNMAP, WRITE SAME with UNMAP)
 * @param removable removable medium (START STOP UNIT with LOEJ, PREVENT ALLOW)
 * @param file      a backing file; absent for a sparse RAM disk
 * @param overwriteRate how fast SANITIZE OVERWRITE writes the medium, a size per second per pass (default
 *                  {@link DiskConfig#DEFAULT_OVERWRITE_RATE}; {@code 0}: as fast as the store goes)
 */
public record LunConfig(Integer lun, String size, Integer blockSize, Integer physicalBlockSize, Boolean readOnly,
                        Boolean thin, Boolean removable, String file, String overwriteRate) {

    /** A LUN with the default overwrite rate. */
    public LunConfig(Integer lun, String size, Integer blockSize, Integer physicalBlockSize, Boolean readOnly,
                     Boolean thin, Boolean removable, String file) {
        this(lun, size, blockSize, physicalBlockSize, readOnly, thin, removable, file, null);
    }

    /** The default physical block length (bytes). */
    public static final int DEFAULT_PHYSICAL_BLOCK_SIZE = 4096;

    /** A LUN with the default physical block length. */
    public LunConfig(Integer lun, String size, Integer blockSize, Boolean readOnly, Boolean thin, Boolean removable,
                     String file) {
        this(lun, size, blockSize, null, readOnly, thin, removable, file, null);
    }

    public LunConfig {
        lun = lun == null ? 0 : lun;
        size = size == null ? "1G" : size;
        blockSize = blockSize == null ? 512 : blockSize;
        physicalBlockSize = physicalBlockSize == null ? Math.max(blockSize, DEFAULT_PHYSICAL_BLOCK_SIZE) : physicalBlockSize;
        readOnly = readOnly != null && readOnly;
        thin = thin == null || thin;
        removable = removable != null && removable;
        overwriteRate = overwriteRate == null ? Sizes.format(DiskConfig.DEFAULT_OVERWRITE_RATE) : overwriteRate;
    }

    /** {@link #overwriteRate} in bytes per second. */
    public long overwriteRateBytes(String where) {
        return overwriteRate.trim().equals("0") ? 0 : Sizes.parse(where + ".overwriteRate", overwriteRate);
    }

    public long sizeBytes(String where) {
        long bytes = Sizes.parse(where + ".size", size);
        if (bytes % blockSize != 0) {
            throw new ConfigException(where + ".size: " + size + " is not a multiple of the " + blockSize + "-byte block size");
        }
        return bytes;
    }

    /** Checks every field; throws {@link ConfigException} naming {@code where} and the first bad field. */
    public void validate(String where) {
        if (lun < 0 || lun > 255) {
            throw new ConfigException(where + ".lun: " + lun + " is outside 0..255");
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new ConfigException(where + ".blockSize: " + blockSize + " is not 512 or 4096");
        }
        int ratio = physicalBlockSize / blockSize;
        if (physicalBlockSize < blockSize || physicalBlockSize % blockSize != 0 || Integer.bitCount(ratio) != 1
                || ratio > (1 << 15)) {
            throw new ConfigException(where + ".physicalBlockSize: " + physicalBlockSize
                    + " is not the block size times a power of two (at most 2^15)");
        }
        sizeBytes(where);
        overwriteRateBytes(where);
    }
}
