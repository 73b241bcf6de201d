package io.vhba.emulator.storport;

import io.vhba.miniport.scsi.AdditionalSense;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter-wide events a miniport reports with StorPortNotification (STORPORT.md, "Link",
 * "ResetDetected", "BusChangeDetected"), also raised by fault injection as if the miniport had
 * reported them. The notification may come at any IRQL under miniport locks, so the work is
 * posted to processor 0; only the link flag changes at once, so nothing new starts after
 * LinkDown returns.
 */
final class PortEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PortEvents.class);

    private PortEvents() {}

    /** LinkDown: the adapter's queues pause and the request timeout clock stands still (it reads the hold). */
    static void linkDown(Adapter a) {
        if (a.holds.linkDown()) {
            a.recovery.linkDowns.increment();
            LOG.warn("adapter {}: link down; queues paused, request timeouts stopped", a.name());
        }
    }

    /** LinkUp: the queues resume where they stopped (AdapterHolds pumps them); the timeouts count again. */
    static void linkUp(Adapter a) {
        if (a.holds.linkUp()) {
            a.recovery.linkUps.increment();
            LOG.info("adapter {}: link up; queues resumed", a.name());
        }
    }

    /**
     * ResetDetected: something reset the bus under the miniport, which still completes its
     * active requests itself (STORPORT.md); the port tells every nexus with SCSI BUS RESET
     * OCCURRED (SAM-5 6.3.1), as the devices on a reset bus would.
     */
    static void resetDetected(Adapter a) {
        a.recovery.resetsDetected.increment();
        LOG.warn("adapter {}: the miniport detected a bus reset; its active requests stay with it", a.name());
        post(a, () -> {
            for (PortLogicalUnit u : a.logicalUnits()) {
                a.engine.unitAttentionListener().establish(u, AdditionalSense.SCSI_BUS_RESET_OCCURRED);
            }
        });
    }

    /**
     * BusChangeDetected: the port rescans (REPORT LUNS, INQUIRY) and raises REPORTED LUNS DATA HAS CHANGED (SPC-4
     * 6.33). The future completes once the rescan is over and the unit attentions are raised.
     */
    static CompletableFuture<Void> busChangeDetected(Adapter a) {
        a.recovery.busChanges.increment();
        LOG.info("adapter {}: bus change detected; rescanning", a.name());
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(a, () -> new BusScan(a).run().whenComplete((v, e) -> {
            if (e != null) {
                LOG.error("adapter {}: rescan failed", a.name(), e);
                done.completeExceptionally(e);
                return;
            }
            LOG.info("adapter {}: rescan found {} logical unit(s); REPORTED LUNS DATA HAS CHANGED raised", a.name(),
                    a.logicalUnits().size());
            for (PortLogicalUnit u : a.logicalUnits()) {
                a.engine.unitAttentionListener().establish(u, AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
            }
            done.complete(null);
        }));
        return done;
    }

    private static void post(Adapter a, Runnable r) {
        a.kernel.execute(a.kernel.processor(0), r);
    }
}
