package io.vhba.emulator.scsi.disk;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The units of one target device that can copy between each other, as an array's copy manager copies between its own
 * volumes: each registered unit runs EXTENDED COPY itself and reaches every other unit of the domain by its NAA
 * designator. Thread-safe.
 */
public final class CopyDomain implements CopyTargets {

    private final Map<String, DiskLogicalUnit> byDesignator = new ConcurrentHashMap<>();

    /**
     * Adds {@code unit} and makes the domain its copy targets.
     *
     * @throws IllegalArgumentException when another unit of the domain has the same NAA designator
     */
    public void register(DiskLogicalUnit unit) {
        String key = key(unit.config().identity().naa().toBytes());
        if (byDesignator.putIfAbsent(key, unit) != null) {
            throw new IllegalArgumentException("two units with NAA designator " + key);
        }
        unit.attachCopyTargets(this);
    }

    /** Takes {@code unit} out of the domain (its LUN was removed): copies can no longer name it. */
    public void unregister(DiskLogicalUnit unit) {
        byDesignator.remove(key(unit.config().identity().naa().toBytes()), unit);
    }

    @Override
    public DiskLogicalUnit find(byte[] naa) {
        return byDesignator.get(key(naa));
    }

    /**
     * I_T nexus loss (SPC-4 6.18.1: held copy results are discarded on it). The units do not see which nexus a
     * command came from, so every unit of the domain drops what it holds.
     */
    public void nexusLost() {
        List.copyOf(byDesignator.values()).forEach(DiskLogicalUnit::discardHeldCopyResults);
    }

    private static String key(byte[] naa) {
        return HexFormat.of().formatHex(naa);
    }
}
