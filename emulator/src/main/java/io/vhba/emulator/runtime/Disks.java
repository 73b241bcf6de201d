package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.scsi.disk.BackingStore;
import io.vhba.emulator.scsi.disk.DiskConfig;
import io.vhba.emulator.scsi.disk.DiskLogicalUnit;
import io.vhba.emulator.scsi.disk.FileSavedModePages;
import io.vhba.emulator.scsi.disk.FileStore;
import io.vhba.emulator.scsi.disk.InsufficientRamException;
import io.vhba.emulator.scsi.disk.RamBudget;
import io.vhba.emulator.scsi.disk.SavedModePages;
import io.vhba.emulator.scsi.disk.SparseRamStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Builds the disk model of a configured LUN, with an identity derived from its target and number. */
final class Disks {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Disks.class);
    /** An IEEE company ID for the NAA-6 designator (SPC-4 7.8.6.6.5); vHBA's own, 0x5648_42 ("VHB"). */
    private static final int IEEE_COMPANY_ID = 0x564842;

    private Disks() {}

    /** A LUN's disk: the configuration it was made from, the disk model and its store. */
    record Unit(LunConfig config, DiskLogicalUnit unit, BackingStore store) {
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
        SavedModePages saved = SavedModePages.NOT_SUPPORTED;
        if (l.file() == null) {
            // The chunks live on the heap: a thick LUN reserves its capacity now (refused, naming the numbers, when
            // it cannot fit), a thin one pays per chunk and answers SPACE ALLOCATION FAILED when the heap runs short.
            try {
                store = SparseRamStore.open(bytes, RamBudget.heap(), !l.thin());
            } catch (InsufficientRamException e) {
                throw new ConfigException(t.iqn() + " LUN " + l.lun() + ": " + e.getMessage());
            }
            if (l.thin() && bytes > RamBudget.heap().limit()) {
                LOG.warn("{} LUN {}: a thin RAM disk of {} can hold at most {} of written data in this JVM's heap"
                        + " (max heap {}); writes past that answer SPACE ALLOCATION FAILED WRITE PROTECT",
                        t.iqn(), l.lun(), RamBudget.describe(bytes), RamBudget.describe(RamBudget.heap().limit()),
                        RamBudget.describe(Runtime.getRuntime().maxMemory()));
            }
        } else {
            try {
                store = FileStore.open(Path.of(l.file()), bytes);
            } catch (IOException e) {
                throw new ConfigException(t.iqn() + " LUN " + l.lun() + ": cannot open " + l.file() + ": " + e.getMessage());
            }
            // A file LUN keeps its saved mode pages beside its medium, as a disk keeps them on its own: MODE SELECT
            // with SP=1 (a host turning the write cache off for good) outlives a restart.
            saved = new FileSavedModePages(Path.of(l.file() + ".modepages"));
        }
        DiskLogicalUnit unit = new DiskLogicalUnit(cfg, store, saved);
        unit.useThreads(threads);
        return new Unit(l, unit, store);
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
