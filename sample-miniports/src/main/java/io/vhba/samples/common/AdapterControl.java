package io.vhba.samples.common;

import io.vhba.miniport.ScsiAdapterControlStatus;
import io.vhba.miniport.ScsiAdapterControlType;
import io.vhba.miniport.ScsiSupportedControlTypeList;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPort;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The parts of HwStorAdapterControl (no lock held on entry) that are the same for the physical
 * samples: the control types they support (query, stop, restart), the answer to each, and
 * running Stop or Restart under a port spin lock. Which lock, and what Stop and Restart do to
 * the controller, is each sample's own.
 */
public final class AdapterControl {
    private AdapterControl() {}

    /** Query, Stop and Restart: what a sample that can quiesce and re-program its controller supports. */
    public static final Set<ScsiAdapterControlType> STOP_AND_RESTART = Set.copyOf(EnumSet.of(
            ScsiAdapterControlType.SCSI_QUERY_SUPPORTED_CONTROL_TYPES,
            ScsiAdapterControlType.SCSI_STOP_ADAPTER,
            ScsiAdapterControlType.SCSI_RESTART_ADAPTER));

    /** ScsiQuerySupportedControlTypes: {@code parameters} is the {@link ScsiSupportedControlTypeList} to mark. */
    private static ScsiAdapterControlStatus querySupported(Object parameters, Set<ScsiAdapterControlType> supported) {
        if (!(parameters instanceof ScsiSupportedControlTypeList list)) {
            return ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_UNSUCCESSFUL;
        }
        for (ScsiAdapterControlType t : supported) {
            list.setSupported(t);
        }
        return ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS;
    }

    /**
     * HwStorAdapterControl for a driver that supports {@link #STOP_AND_RESTART}: answers the query,
     * runs {@code stop} (ScsiStopAdapter) or {@code restart} (ScsiRestartAdapter, true once the
     * controller is ready again) holding {@code lock}, and refuses every other control type.
     *
     * @param <E> the sample's device extension
     */
    public static <E> ScsiAdapterControlStatus stopAndRestart(StorPort port, E ext, ScsiAdapterControlType type,
                                                              Object parameters, SpinLockType lock,
                                                              Consumer<E> stop, Predicate<E> restart) {
        boolean ok = switch (type) {
            case SCSI_QUERY_SUPPORTED_CONTROL_TYPES ->
                    querySupported(parameters, STOP_AND_RESTART) == ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS;
            case SCSI_STOP_ADAPTER -> underSpinLock(port, ext, lock, () -> {
                stop.accept(ext);
                return true;
            });
            case SCSI_RESTART_ADAPTER -> underSpinLock(port, ext, lock, () -> restart.test(ext));
            default -> false;
        };
        return ok ? ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_SUCCESS : ScsiAdapterControlStatus.SCSI_ADAPTER_CONTROL_UNSUCCESSFUL;
    }

    /**
     * Runs {@code action} holding the port's {@code lock} (StorPortAcquireSpinLock; the caller must
     * be where that lock may be taken, as AdapterControl is, or ResetBus for the interrupt lock) and
     * returns its result.
     */
    public static boolean underSpinLock(StorPort port, Object deviceExtension, SpinLockType lock, BooleanSupplier action) {
        StorLockHandle handle = new StorLockHandle();
        port.acquireSpinLock(deviceExtension, lock, null, handle);
        try {
            return action.getAsBoolean();
        } finally {
            port.releaseSpinLock(deviceExtension, handle);
        }
    }
}
