package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.SrbStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Taking an adapter down: a stop (PnP stop/remove as the port sees it) or a failure (bug check, failed start). */
final class AdapterShutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);

    private AdapterShutdown() {}

    /**
     * Stops the adapter after a bug check or a failed start: interrupts masked, every request
     * it holds returned with SRB_STATUS_NO_HBA, new ones refused.
     */
    static void fail(Adapter a, String reason) {
        if (a.state == AdapterState.FAILED) {
            return;
        }
        a.failureReason = reason;
        a.state = AdapterState.FAILED;
        a.timeouts.stop();
        LOG.error("{}: adapter stopped: {}", a.name(), reason);
        returnEverything(a);
    }

    /**
     * Stops the adapter: new requests are refused; the miniport gets ScsiStopAdapter if it
     * reported that type, and completes what it still holds; the rest, queued or outstanding,
     * is returned with SRB_STATUS_NO_HBA; interrupts are masked, the miniport's timers and
     * queued work items are cancelled, and pool it still holds is reported (POOL_LEAK).
     */
    static void stop(Adapter a) {
        if (a.state == AdapterState.STOPPED || a.state == AdapterState.FAILED) {
            return;
        }
        a.state = AdapterState.STOPPED;
        LOG.info("{}: stopped", a.name());
        a.control.send(ScsiAdapterControlType.SCSI_STOP_ADAPTER);
        returnEverything(a);
        a.timer().cancel();
        a.timerObjects.cancelAll();
        a.workItems.cancelAll();
        a.holds.clear();
        for (PortLogicalUnit u : a.allUnits()) {
            u.holds.clear();
        }
        a.pool.reportLeaksAtStop();
    }

    private static void returnEverything(Adapter a) {
        for (KInterrupt ki : a.interrupts) {
            ki.setMasked(true);
        }
        for (PortLogicalUnit u : a.allUnits()) {
            for (EngineSrb s : u.drainPending()) {
                a.failImmediately(s, SrbStatus.NO_HBA);
            }
            for (EngineSrb s : u.activeRequests()) {
                if (s.state == SrbState.MINIPORT) { // completed ones are already on their way back
                    u.deactivate(s);
                    a.failImmediately(s, SrbStatus.NO_HBA);
                }
            }
        }
    }
}
