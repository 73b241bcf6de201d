package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.ScsiSupportedControlTypeList;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port's calls to HwStorAdapterControl (storport.h HW_ADAPTER_CONTROL): it asks once, right
 * after HwStorFindAdapter, which control types the miniport handles
 * (ScsiQuerySupportedControlTypes, PASSIVE_LEVEL), and later sends only those: ScsiStopAdapter
 * when the adapter stops, ScsiRestartAdapter when it restarts. The port holds no lock
 * (STORPORT.md, "Locks"); the miniport may take the DPC, StartIo and interrupt locks.
 */
final class AdapterControl {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterControl.class);

    private final Adapter a;
    private volatile Set<ScsiAdapterControlType> supported = EnumSet.noneOf(ScsiAdapterControlType.class);

    AdapterControl(Adapter a) {
        this.a = a;
    }

    /** ScsiQuerySupportedControlTypes, with MaxControlType covering every type the port knows. */
    void querySupportedTypes() {
        HwInitializationData<Object> d = a.data();
        if (d.hwAdapterControl() == null) {
            return;
        }
        ScsiSupportedControlTypeList list = new ScsiSupportedControlTypeList(ScsiAdapterControlType.values().length);
        ScsiAdapterControlStatus[] status = new ScsiAdapterControlStatus[1];
        a.call("HwStorAdapterControl", () -> {
            status[0] = d.hwAdapterControl().adapterControl(a.deviceExtension,
                    ScsiAdapterControlType.SCSI_QUERY_SUPPORTED_CONTROL_TYPES, list);
            return true;
        });
        Set<ScsiAdapterControlType> s = EnumSet.noneOf(ScsiAdapterControlType.class);
        if (status[0] == ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS) {
            for (ScsiAdapterControlType t : ScsiAdapterControlType.values()) {
                if (list.isSupported(t)) {
                    s.add(t);
                }
            }
        }
        supported = s;
        LOG.debug("{}: HwStorAdapterControl supports {}", a.name(), s);
    }

    boolean supports(ScsiAdapterControlType type) {
        return supported.contains(type);
    }

    Set<ScsiAdapterControlType> supported() {
        return java.util.Collections.unmodifiableSet(supported);
    }

    /**
     * Restarts a running adapter as Storport does around a power transition: new requests wait,
     * the miniport gets ScsiStopAdapter and then ScsiRestartAdapter (both must be among the
     * types it reported), and the queues resume. Call with no request outstanding, as PnP and
     * power management drain the queues first. Returns false, leaving the adapter running, when
     * the miniport does not support the pair; stops the adapter when the restart fails.
     */
    boolean restart() {
        if (a.state != AdapterState.RUNNING || !supports(ScsiAdapterControlType.SCSI_STOP_ADAPTER)
                || !supports(ScsiAdapterControlType.SCSI_RESTART_ADAPTER)) {
            return false;
        }
        a.resetHold = true;
        boolean ok;
        try {
            ok = stopAndRestart();
        } finally {
            a.resetHold = false;
        }
        if (ok) {
            a.pumpAllUnits();
        }
        return ok;
    }

    private boolean stopAndRestart() {
        if (!send(ScsiAdapterControlType.SCSI_STOP_ADAPTER) || !send(ScsiAdapterControlType.SCSI_RESTART_ADAPTER)) {
            a.fail("HwStorAdapterControl could not restart the adapter");
            return false;
        }
        return true;
    }

    /**
     * A restart on request while I/O may be running, as PnP drains a device before a stop: new requests are held
     * (they wait in the LU queues), the requests the miniport holds get up to {@code drainNanos} to finish, then
     * ScsiStopAdapter and ScsiRestartAdapter run and the held requests start. Must not run on a processor thread.
     */
    RestartOutcome restartDrained(long drainNanos) throws InterruptedException {
        if (a.state != AdapterState.RUNNING) {
            return RestartOutcome.NOT_RUNNING;
        }
        if (!supports(ScsiAdapterControlType.SCSI_STOP_ADAPTER) || !supports(ScsiAdapterControlType.SCSI_RESTART_ADAPTER)) {
            return RestartOutcome.UNSUPPORTED;
        }
        a.resetHold = true;
        RestartOutcome outcome;
        try {
            long end = System.nanoTime() + drainNanos;
            while (outstanding() > 0 && a.state == AdapterState.RUNNING && System.nanoTime() - end < 0) {
                Thread.sleep(2);
            }
            if (a.state != AdapterState.RUNNING) {
                outcome = RestartOutcome.NOT_RUNNING;
            } else if (outstanding() > 0) {
                outcome = RestartOutcome.NOT_DRAINED;
            } else {
                outcome = stopAndRestart() ? RestartOutcome.RESTARTED : RestartOutcome.FAILED;
            }
        } finally {
            a.resetHold = false;
        }
        if (outcome != RestartOutcome.FAILED) {
            a.pumpAllUnits(); // what waited during the hold starts now
        }
        return outcome;
    }

    private int outstanding() {
        int n = 0;
        for (PortLogicalUnit u : a.allUnits()) {
            n += u.outstanding();
        }
        return n;
    }

    /** ScsiStopAdapter or ScsiRestartAdapter at DISPATCH_LEVEL, if the miniport said it handles it; true on success. */
    boolean send(ScsiAdapterControlType type) {
        if (!supports(type)) {
            return false;
        }
        ScsiAdapterControlStatus[] status = new ScsiAdapterControlStatus[1];
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            a.call("HwStorAdapterControl", () -> {
                status[0] = a.data().hwAdapterControl().adapterControl(a.deviceExtension, type, null);
                return true;
            });
        } finally {
            a.kernel.lowerIrql(old);
        }
        boolean ok = status[0] == ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS;
        LOG.info("{}: HwStorAdapterControl({}) {}", a.name(), type, ok ? "succeeded" : "failed: " + status[0]);
        return ok;
    }
}
