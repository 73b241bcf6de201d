package io.vhba.emulator.config;

/**
 * One LUN of a target.
 *
 * @param lun       the LUN number (0..255)
 * @param size      capacity, e.g. {@code 1G}
 * @param blockSize 512 or 4096
 * @param readOnly  write-protected (DATA PROTECT on writes, WP in MODE SENSE)
 * @param thin      thin provisioned (LBPME, UNMAP, WRITE SAME with UNMAP)
 * @param removable removable medium (START STOP UNIT with LOEJ, PREVENT ALLOW)
 * @param file      a backing file; absent for a sparse RAM disk
 */
public record LunConfig(Integer lun, String size, Integer blockSize, Boolean readOnly, Boolean thin, Boolean removable,
                        String file) {

    public LunConfig {
        lun = lun == null ? 0 : lun;
        size = size == null ? "1G" : size;
        blockSize = blockSize == null ? 512 : blockSize;
        readOnly = readOnly != null && readOnly;
        thin = thin == null || thin;
        removable = removable != null && removable;
    }

    public long sizeBytes(String where) {
        long bytes = Sizes.parse(where + ".size", size);
        if (bytes % blockSize != 0) {
            throw new ConfigException(where + ".size: " + size + " is not a multiple of the " + blockSize + "-byte block size");
        }
        return bytes;
    }

    void validate(String where) {
        if (lun < 0 || lun > 255) {
            throw new ConfigException(where + ".lun: " + lun + " is outside 0..255");
        }
        if (blockSize != 512 && blockSize != 4096) {
            throw new ConfigException(where + ".blockSize: " + blockSize + " is not 512 or 4096");
        }
        sizeBytes(where);
    }
}
