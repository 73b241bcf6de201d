package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KDpc;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.HwStorTimer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.SynchronizationModel;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code StorPortNotification}: a table from notification type to handler. Arguments are
 * checked like the C varargs would be by the verifier (StorPortNotification2); a type this
 * emulator does not implement is refused loudly rather than ignored.
 */
final class Notifications {
    @FunctionalInterface
    interface Handler {
        Object handle(Adapter a, Object[] args);
    }

    private final StorportEngine engine;
    private final Map<NotificationType, Handler> table = new EnumMap<>(NotificationType.class);

    Notifications(StorportEngine engine) {
        this.engine = engine;
        table.put(NotificationType.REQUEST_COMPLETE, (a, args) -> {
            EngineSrb srb = arg(a, args, 0, EngineSrb.class, NotificationType.REQUEST_COMPLETE);
            CompletionRules.checkBusy(a, srb);
            a.completeFromMiniport(srb);
            return null;
        });
        // Storport ignores these scsiport-era notifications: it starts the next request itself.
        table.put(NotificationType.NEXT_REQUEST, (a, args) -> null);
        table.put(NotificationType.NEXT_LU_REQUEST, (a, args) -> null);
        table.put(NotificationType.QUERY_TICK_COUNT, (a, args) -> engine.kernel().tickCount());
        table.put(NotificationType.ENABLE_PASSIVE_INITIALIZATION, this::enablePassiveInitialization);
        table.put(NotificationType.INITIALIZE_DPC, this::initializeDpc);
        table.put(NotificationType.ISSUE_DPC, this::issueDpc);
        table.put(NotificationType.ACQUIRE_SPIN_LOCK, this::acquireSpinLock);
        table.put(NotificationType.RELEASE_SPIN_LOCK, this::releaseSpinLock);
        table.put(NotificationType.REQUEST_TIMER_CALL, this::requestTimerCall);
        // LinkDown/LinkUp, ResetDetected and BusChangeDetected (STORPORT.md) are in EventNotifications: recorded, then PortEvents.
        table.put(NotificationType.IO_TARGET_REQUEST_SERVICE_TIME, (a, args) -> {
            arg(a, args, 1, EngineSrb.class, NotificationType.IO_TARGET_REQUEST_SERVICE_TIME);
            return null;
        });
        EventNotifications.install(table, engine);
    }

    /** Whether {@code type} has a handler (the rest are refused loudly), for the coverage table's test. */
    boolean handles(NotificationType type) {
        return table.containsKey(type);
    }

    Object dispatch(NotificationType type, Adapter a, Object[] args) {
        Handler h = table.get(type);
        if (h == null) {
            throw new UnsupportedOperationException("StorPortNotification(" + type
                    + ") is not emulated by vHBA; see docs/storport-coverage.md");
        }
        return h.handle(a, args == null ? new Object[0] : args);
    }

    private Object enablePassiveInitialization(Adapter a, Object[] args) {
        HwStorPassiveInitializeRoutine<?> r = arg(a, args, 0, HwStorPassiveInitializeRoutine.class,
                NotificationType.ENABLE_PASSIVE_INITIALIZATION);
        if (!a.inPhase(InitPhase.HW_INITIALIZE)) {
            a.verifyFailed(VerifierRule.ENABLE_PASSIVE_OUTSIDE_HW_INITIALIZE, 0, 0,
                    "StorPortEnablePassiveInitialization outside HwStorInitialize");
            return Boolean.FALSE;
        }
        a.passiveInitRoutine = r;
        return Boolean.TRUE;
    }

    private Object initializeDpc(Adapter a, Object[] args) {
        StorDpc dpc = arg(a, args, 0, StorDpc.class, NotificationType.INITIALIZE_DPC);
        @SuppressWarnings("unchecked")
        HwStorDpcRoutine<Object> routine = arg(a, args, 1, HwStorDpcRoutine.class, NotificationType.INITIALIZE_DPC);
        if (!a.inPhase(InitPhase.PASSIVE_INITIALIZE)) {
            a.verifyFailed(VerifierRule.DPC_INITIALIZED_OUTSIDE_PASSIVE_INIT, System.identityHashCode(dpc), 0,
                    "StorPortInitializeDpc outside the passive initialisation routine");
            return null;
        }
        KSpinLock lock = new KSpinLock(a.name() + " DpcLock#" + a.dpcCount(), Irql.DISPATCH_LEVEL, KSpinLock.RANK_DPC);
        KDpc k = new KDpc(a.name() + " StorDpc#" + a.dpcCount(), (kd, ctx, a1, a2) -> a.call("HwStorDpcRoutine", () -> {
            routine.dpc(dpc, a.deviceExtension, a1, a2);
            return true;
        }), dpc);
        DpcBinding b = new DpcBinding(a, k, lock);
        dpc.bindPortContext(b);
        a.register(b);
        return null;
    }

    private Object issueDpc(Adapter a, Object[] args) {
        StorDpc dpc = arg(a, args, 0, StorDpc.class, NotificationType.ISSUE_DPC);
        if (!(dpc.portContext() instanceof DpcBinding b) || b.adapter() != a) {
            a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, System.identityHashCode(dpc), 0,
                    "StorPortIssueDpc on a STOR_DPC that StorPortInitializeDpc did not initialise");
            return Boolean.FALSE;
        }
        return engine.kernel().insertQueueDpc(b.kdpc(), args.length > 1 ? args[1] : null, args.length > 2 ? args[2] : null);
    }

    private Object acquireSpinLock(Adapter a, Object[] args) {
        SpinLockType type = arg(a, args, 0, SpinLockType.class, NotificationType.ACQUIRE_SPIN_LOCK);
        StorLockHandle handle = arg(a, args, 2, StorLockHandle.class, NotificationType.ACQUIRE_SPIN_LOCK);
        String routine = io.vhba.emulator.kernel.KThreadState.current().routine();
        if (a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX && routine != null
                && routine.endsWith("HwStorStartIo")) {
            a.verifyFailed(VerifierRule.PROHIBITED_IN_HALF_DUPLEX_START_IO, type.code(), 0,
                    "StorPortAcquireSpinLock(" + type + ") in half-duplex HwStorStartIo (it runs at DIRQL)");
        }
        KSpinLock[] locks = switch (type) {
            case DPC_LOCK -> {
                Object ctx = args.length > 1 ? args[1] : null;
                if (!(ctx instanceof StorDpc d) || !(d.portContext() instanceof DpcBinding b)) {
                    a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, 0, 0,
                            "DpcLock needs an initialised STOR_DPC as lock context");
                    yield null;
                }
                yield new KSpinLock[] {b.dpcLock()};
            }
            case START_IO_LOCK -> new KSpinLock[] {a.startIoLock};
            case INTERRUPT_LOCK -> a.interruptLocks();
            case THREADED_DPC_LOCK, DPC_LEVEL_LOCK -> throw new UnsupportedOperationException(
                    type + " is not emulated by this version of vHBA");
        };
        if (locks == null) {
            return null;
        }
        LockRules.check(a, type, locks);
        int old = engine.kernel().acquireGroup(locks);
        handle.bindPortContext(new HeldLock(locks, old));
        return null;
    }

    private Object releaseSpinLock(Adapter a, Object[] args) {
        StorLockHandle handle = arg(a, args, 0, StorLockHandle.class, NotificationType.RELEASE_SPIN_LOCK);
        if (!(handle.portContext() instanceof HeldLock held)) {
            a.verifyFailed(VerifierRule.SPIN_LOCK_RELEASE_NOT_HELD, 0, 0, "StorPortReleaseSpinLock with a handle that holds no lock");
            return null;
        }
        handle.bindPortContext(null);
        engine.kernel().releaseGroup(held.locks(), held.oldIrql());
        return null;
    }

    private Object requestTimerCall(Adapter a, Object[] args) {
        Object r = args.length > 0 ? args[0] : null;
        if (!(r instanceof HwStorTimer<?> timer)) {
            a.verifyFailed(VerifierRule.TIMER_WITHOUT_ROUTINE, 0, 0, "RequestTimerCall without a timer routine");
            return null;
        }
        long micros = args.length > 1 && args[1] instanceof Number n ? n.longValue() : -1;
        if (micros < 0) {
            a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, 0, 0, "RequestTimerCall needs a non-negative interval");
            return null;
        }
        a.timer().request(timer, micros);
        return null;
    }

    private static <T> T arg(Adapter a, Object[] args, int i, Class<T> type, NotificationType t) {
        if (args.length <= i || !type.isInstance(args[i])) {
            a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, t.code(), i, "StorPortNotification(" + t
                    + ") argument " + i + " must be a " + type.getSimpleName() + ", got "
                    + (args.length <= i ? "nothing" : args[i] == null ? "null" : args[i].getClass().getSimpleName()));
            throw new IllegalArgumentException("bad StorPortNotification arguments");
        }
        return type.cast(args[i]);
    }
}
