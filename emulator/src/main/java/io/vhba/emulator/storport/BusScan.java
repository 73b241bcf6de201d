package io.vhba.emulator.storport;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.scsi.ScsiOpcode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The port's bus enumeration, as Storport does it after start and on BusChangeDetected:
 * REPORT LUNS to LUN 0 of each target, then a standard INQUIRY to each reported LUN. A LUN
 * whose INQUIRY answers with peripheral qualifier 0 becomes visible; only after that first
 * INQUIRY may the miniport set its queue depth (STORPORT.md). A unit found before that a target's
 * REPORT LUNS no longer lists is gone (its device was pulled out): the port forgets it, as the PnP
 * manager removes the PDO of a disk the rescan did not report.
 */
final class BusScan {
    private static final int REPORT_LUNS_ALLOC = 8 + 8 * 256;
    private static final int INQUIRY_ALLOC = 96;

    private final Adapter a;
    private final StartWatchdog watchdog;
    /** {@code Adapter.key} of every LU a REPORT LUNS listed, and of every target whose REPORT LUNS answered. */
    private final Set<Long> reported = ConcurrentHashMap.newKeySet();
    private final Set<Long> answeredTargets = ConcurrentHashMap.newKeySet();

    /** A rescan (BusChangeDetected): the port timer's request timeouts bound its commands. */
    BusScan(Adapter adapter) {
        this(adapter, null);
    }

    /** The scan of an adapter start: {@code watchdog} times each command. */
    BusScan(Adapter adapter, StartWatchdog watchdog) {
        this.a = adapter;
        this.watchdog = watchdog;
    }

    CompletableFuture<Void> run() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int buses = Math.max(1, a.config.getNumberOfBuses());
        int targets = Math.min(a.config.getMaximumNumberOfTargets(), a.engine.settings().maxTargetsScanned());
        for (int p = 0; p < buses; p++) {
            for (int t = 0; t < targets; t++) {
                int path = p;
                int target = t;
                chain = chain.thenCompose(v -> scanTarget(path, target));
            }
        }
        return chain.thenRun(this::forgetVanished);
    }

    /** Units of targets that answered REPORT LUNS without listing them; a target that did not answer keeps its units. */
    private void forgetVanished() {
        for (PortLogicalUnit u : a.logicalUnits()) {
            if (answeredTargets.contains(Adapter.key(u.pathId(), u.targetId(), 0))
                    && !reported.contains(Adapter.key(u.pathId(), u.targetId(), u.lun()))) {
                a.unitRemoved(u);
            }
        }
    }

    private CompletableFuture<Void> scanTarget(int path, int target) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) ScsiOpcode.REPORT_LUNS.code();
        cdb[6] = (byte) (REPORT_LUNS_ALLOC >>> 24);
        cdb[7] = (byte) (REPORT_LUNS_ALLOC >>> 16);
        cdb[8] = (byte) (REPORT_LUNS_ALLOC >>> 8);
        cdb[9] = (byte) REPORT_LUNS_ALLOC;
        return send("REPORT LUNS", a.unitFor(path, target, 0), cdb, REPORT_LUNS_ALLOC).thenCompose(r -> {
            List<Integer> luns = new ArrayList<>();
            if (r.ok && r.length >= 8) {
                answeredTargets.add(Adapter.key(path, target, 0));
                int listLength = r.data.length >= 4 ? readInt(r.data, 0) : 0;
                for (int off = 8; off + 8 <= Math.min(r.length, 8 + listLength); off += 8) {
                    int lun = decodeLun(r.data, off);
                    if (lun >= 0 && lun < 256) {
                        luns.add(lun);
                        reported.add(Adapter.key(path, target, lun));
                    }
                }
            }
            CompletableFuture<Void> c = CompletableFuture.completedFuture(null);
            for (int lun : luns) {
                c = c.thenCompose(v -> inquiry(path, target, lun));
            }
            return c;
        });
    }

    private CompletableFuture<Void> inquiry(int path, int target, int lun) {
        byte[] cdb = new byte[6];
        cdb[0] = (byte) ScsiOpcode.INQUIRY.code();
        cdb[4] = (byte) INQUIRY_ALLOC;
        PortLogicalUnit u = a.unitFor(path, target, lun);
        return send("INQUIRY", u, cdb, INQUIRY_ALLOC).thenAccept(r -> {
            if (r.ok && r.length >= 1 && (r.data[0] & 0xE0) == 0) {
                u.markInquirySeen(r.data[0] & 0x1F);
            }
        });
    }

    private record Answer(boolean ok, byte[] data, int length) {}

    /** One command of the scan; the watchdog times it from issue to completion (HwStorStartIo to RequestComplete). */
    private CompletableFuture<Answer> send(String command, PortLogicalUnit unit, byte[] cdb, int alloc) {
        CompletableFuture<Answer> f = new CompletableFuture<>();
        if (watchdog != null) {
            watchdog.arm("bus scan " + command + " to " + unit.pathId() + ":" + unit.targetId() + ":" + unit.lun(),
                    Thread.currentThread());
        }
        HostBuffer buf = a.engine.hostMemory().allocate(alloc);
        EngineSrb srb = a.allocateSrb();
        srb.prepareExecuteScsi(unit, cdb, cdb.length, SrbFlags.DATA_IN, buf, alloc,
                a.engine.settings().defaultTimeoutSeconds(), 0x20, s -> {
                    SrbStatus st = s.portSrbStatus();
                    boolean ok = st == SrbStatus.SUCCESS || st == SrbStatus.DATA_OVERRUN;
                    int n = ok ? s.portDataTransferLength() : 0;
                    byte[] data = new byte[n];
                    buf.get(0, data, 0, n);
                    s.recycle();
                    buf.release();
                    f.complete(new Answer(ok, data, n));
                }, null);
        a.submit(srb);
        return f;
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** SAM-5 4.7: peripheral device (00b) and flat space (01b) addressing; -1 for anything else. */
    private static int decodeLun(byte[] b, int off) {
        int method = (b[off] & 0xC0) >>> 6;
        return switch (method) {
            case 0 -> b[off + 1] & 0xFF;
            case 1 -> ((b[off] & 0x3F) << 8) | (b[off + 1] & 0xFF);
            default -> -1;
        };
    }
}
