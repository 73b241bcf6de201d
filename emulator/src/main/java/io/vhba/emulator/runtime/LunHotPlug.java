package io.vhba.emulator.runtime;

import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.runtime.Reconfiguration.Reason;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.scsi.disk.MediumProgress;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.hw.AttachedUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LUNs added to and removed from a running target, the way a disk is hot-plugged behind a Windows HBA: the disk is
 * attached to (or pulled out of) the controller's SCSI bus, the port learns of it from a BusChangeDetected rescan
 * (REPORT LUNS, INQUIRY: a new PortLogicalUnit appears, or a vanished one is forgotten), and the target core maps or
 * unmaps it and raises REPORTED LUNS DATA HAS CHANGED on every I_T nexus (SPC-4 6.33). The sample controllers have
 * no asynchronous event path to make their miniport report the bus change, so the runtime raises BusChangeDetected
 * on the miniport's behalf, as fault injection raises LinkDown. Every wait is bounded; the caller holds the runtime's
 * reconfiguration lock and must not be a processor thread.
 */
final class LunHotPlug {
    private static final Logger LOG = LoggerFactory.getLogger(LunHotPlug.class);
    /** How long a rescan, a drain of outstanding requests, and a LUN reset may each take. */
    static final long STEP_MILLIS = 10_000;

    private final ScsiTargetCore core;
    private final FaultInjector faults;
    private final Kernel kernel;
    private final RuntimeMetrics metrics;

    LunHotPlug(ScsiTargetCore core, FaultInjector faults, Kernel kernel, RuntimeMetrics metrics) {
        this.core = core;
        this.faults = faults;
        this.kernel = kernel;
        this.metrics = metrics;
    }

    /**
     * The core's view of a LUN: with the disk's NAA designator, so that the core can tell which LUN an EXTENDED COPY
     * descriptor names and refuse one the initiator's LUN mask hides (CVE-2020-28374).
     */
    static TargetLun targetLun(LunConfig lc, PortLogicalUnit plu, Disks.Unit d) {
        return new TargetLun(lc.lun(), plu, lc.blockSize(), d.unit().config().identity().naa().toBytes());
    }

    /** Adds LUN {@code lc.lun()} to {@code rt}: validated as the configuration file's LUNs are. */
    void add(TargetRuntime rt, LunConfig lc, Operations.Tracked op) {
        String where = rt.iqn() + " LUN " + lc.lun();
        lc.validate(where);
        if (rt.target.lun(lc.lun()) != null || rt.disks.containsKey(lc.lun())) {
            throw new Reconfiguration(Reason.CONFLICT, "target " + rt.iqn() + " already has LUN " + lc.lun());
        }
        Adapter a = running(rt);
        Disks.Unit d = Disks.create(rt.config, lc, kernel.threads());
        boolean attached = false;
        try {
            rt.copyDomain.register(d.unit());
            metrics.diskAttached(rt.iqn(), lc.lun(), d.unit());
            rt.bus.attach(new AttachedUnit(0, lc.lun(), faults.wrap(a.name(), lc.lun(), d.unit())));
            attached = true;
            op.progress(25);
            rescan(rt, where);
            op.progress(75);
            PortLogicalUnit plu = a.logicalUnit(0, 0, lc.lun());
            if (plu == null) {
                throw new Reconfiguration(Reason.UNAVAILABLE, where + ": the miniport's bus scan did not report it");
            }
            TargetLun tl = targetLun(lc, plu, d);
            core.lunAdded(rt.target, tl);
            metrics.lunMapped(rt.target, tl, a);
            rt.disks.put(lc.lun(), d);
            LOG.info("{}: added ({} bytes, {}-byte blocks) on {}", where, d.unit().config().geometry().capacityBytes(),
                    lc.blockSize(), a.name());
        } catch (RuntimeException e) {
            if (attached) {
                rt.bus.detach(0, lc.lun());
                a.busChangeDetected(); // let the port forget it if its scan found it after all; not waited for
            }
            faults.forget(a.name(), lc.lun());
            metrics.diskDetached(rt.iqn(), lc.lun());
            rt.copyDomain.unregister(d.unit());
            d.close();
            throw e;
        }
    }

    /**
     * Removes LUN {@code lun} from {@code rt}: unmapped first (new commands get LOGICAL UNIT NOT SUPPORTED), then the
     * requests already on it get {@link #STEP_MILLIS} to finish; what the miniport still holds after that is ended
     * by a LOGICAL UNIT RESET. Then the disk is detached, the port rescans and the store is closed. Refused while a
     * SANITIZE or FORMAT UNIT runs (SBC-4 4.11.4: nothing stops one) and for the target's last LUN.
     */
    void remove(TargetRuntime rt, int lun, Operations.Tracked op) throws InterruptedException {
        String where = rt.iqn() + " LUN " + lun;
        TargetLun tl = rt.target.lun(lun);
        Disks.Unit d = rt.disks.get(lun);
        if (tl == null || d == null) {
            throw new Reconfiguration(Reason.NOT_FOUND, "target " + rt.iqn() + " has no LUN " + lun);
        }
        if (rt.target.luns().size() == 1) {
            throw new Reconfiguration(Reason.CONFLICT, where + " is the target's last LUN; a target needs at least one");
        }
        Optional<MediumProgress> busy = d.unit().mediumOperation();
        if (busy.isPresent()) {
            throw new Reconfiguration(Reason.CONFLICT, String.format("%s: a %s is in progress (%.0f%%); it cannot be "
                    + "stopped, remove the LUN when it ends", where, busy.get().operation(), busy.get().percent()));
        }
        core.lunRemoved(rt.target, lun);
        metrics.lunUnmapped(rt.target, tl, rt.adapter);
        op.progress(20);
        PortLogicalUnit plu = tl.port();
        if (!drained(plu, STEP_MILLIS)) {
            LOG.warn("{}: {} request(s) still outstanding after {} ms; resetting the logical unit", where,
                    plu.outstanding() + plu.pendingCount(), STEP_MILLIS);
            CompletableFuture<Void> reset = new CompletableFuture<>();
            kernel.execute(kernel.processor(0), () -> plu.adapter().resetLogicalUnit(plu, () -> reset.complete(null)));
            await(reset, where + ": LOGICAL UNIT RESET");
            if (!drained(plu, STEP_MILLIS)) {
                LOG.warn("{}: requests still outstanding after the reset; detaching anyway", where);
            }
        }
        op.progress(50);
        rt.bus.detach(0, lun);
        if (rt.adapter.state() == AdapterState.RUNNING) {
            rescan(rt, where);
        }
        faults.forget(rt.adapter.name(), lun);
        metrics.diskDetached(rt.iqn(), lun);
        rt.copyDomain.unregister(d.unit());
        rt.disks.remove(lun);
        d.close();
        LOG.info("{}: removed", where);
    }

    private static Adapter running(TargetRuntime rt) {
        Adapter a = rt.adapter;
        if (a.state() != AdapterState.RUNNING) {
            throw new Reconfiguration(Reason.UNAVAILABLE, "adapter " + a.name() + " is " + a.state()
                    + (a.failureReason() == null ? "" : " (" + a.failureReason() + ")"));
        }
        return a;
    }

    private static boolean drained(PortLogicalUnit u, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (u.outstanding() + u.pendingCount() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The port's rescan; its REPORTED LUNS DATA HAS CHANGED is left to the core (see TargetRuntime#replugging). */
    private static void rescan(TargetRuntime rt, String where) {
        rt.replugging = true;
        try {
            await(rt.adapter.busChangeDetected(), where + ": the rescan of " + rt.adapter.name());
        } finally {
            rt.replugging = false;
        }
    }

    private static void await(CompletableFuture<?> f, String what) {
        try {
            f.get(STEP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Reconfiguration(Reason.UNAVAILABLE, what + " did not finish within " + STEP_MILLIS + " ms");
        } catch (ExecutionException e) {
            throw new Reconfiguration(Reason.UNAVAILABLE, what + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Reconfiguration(Reason.UNAVAILABLE, what + " was interrupted");
        }
    }
}
