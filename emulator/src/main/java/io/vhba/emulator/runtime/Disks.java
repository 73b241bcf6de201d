package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.scsi.disk.BackingStore;
import io.vhba.emulator.scsi.disk.DiskConfig;
import io.vhba.emulator.scsi.disk.DiskLogicalUnit;
import io.vhba.emulator.scsi.disk.FileStore;
import io.vhba.emulator.scsi.disk.SparseRamStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Builds the disk model of a configured LUN, with an identity derived from its target and number. */
final class Disks {
    /** An IEEE company ID for the NAA-6 designator (SPC-4 7.8.6.6.5); vHBA's own, 0x5648_42 ("VHB"). */
    private static final int IEEE_COMPANY_ID = 0x564842;

    private Disks() {}

    record Unit(DiskLogicalUnit unit, BackingStore store) {
        void close() {
            if (store instanceof Closeable c) {
                try {
                    c.close();
                } catch (IOException e) {
                    throw new ConfigException("closing " + store + ": " + e.getMessage());
                }
            }
        }
    }

    static Unit create(TargetConfig t, LunConfig l, io.vhba.hw.PlatformThreads threads) {
        long bytes = l.sizeBytes(t.iqn() + " LUN " + l.lun());
        long id = stableId(t.iqn() + "/" + l.lun());
        String serial = String.format("%016X", id);
        DiskConfig cfg = DiskConfig.of("vHBA disk", serial, new DiskConfig.NaaIdentifier(IEEE_COMPANY_ID, id),
                        l.blockSize(), bytes / l.blockSize())
                .withGeometry(DiskConfig.Geometry.withPhysicalBlockSize(l.blockSize(), bytes / l.blockSize(),
                        l.physicalBlockSize()))
                .withThinProvisioning(l.thin())
                .withReadOnly(l.readOnly())
                .withRemovable(l.removable())
                .withOverwriteRate(l.overwriteRateBytes(t.iqn() + " LUN " + l.lun()))
                .withTargetPortGroupSupport(1); // TPGS 01b: implicit ALUA, the core answers REPORT TARGET PORT GROUPS
        BackingStore store;
        if (l.file() == null) {
            store = new SparseRamStore(bytes);
        } else {
            try {
                store = FileStore.open(Path.of(l.file()), bytes);
            } catch (IOException e) {
                throw new ConfigException(t.iqn() + " LUN " + l.lun() + ": cannot open " + l.file() + ": " + e.getMessage());
            }
        }
        DiskLogicalUnit unit = new DiskLogicalUnit(cfg, store);
        unit.useThreads(threads);
        return new Unit(unit, store);
    }

    /** The same name gives the same designator on every start and every path (INITIATORS.md, VPD 0x83). */
    private static long stableId(String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
