package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.InterruptServiceRoutine;
import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KInterrupt;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorMessageSignaledInterruptRoutine;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.NtStatus;
import io.vhba.miniport.PortConfigurationInformation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storport's start-up order (STORPORT.md): FindAdapter with no lock, interrupt connection,
 * HwInitialize at DIRQL under the interrupt lock (physical miniports), the passive routine
 * at PASSIVE_LEVEL, then the bus scan. Runs on processor 0 at PASSIVE_LEVEL.
 */
final class AdapterStart {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterStart.class);

    private final Adapter a;

    AdapterStart(Adapter adapter) {
        this.a = adapter;
    }

    CompletableFuture<Adapter> run() {
        CompletableFuture<Adapter> done = new CompletableFuture<>();
        StartWatchdog watchdog = new StartWatchdog(a, a.engine.startTimeoutMillis(), done);
        done.whenComplete((x, e) -> watchdog.close());
        a.kernel.execute(a.kernel.processor(0), () -> {
            try {
                initialize(watchdog);
                new BusScan(a, watchdog).run().whenComplete((v, e) -> {
                    watchdog.disarm();
                    if (e != null) {
                        a.fail("bus scan failed: " + e);
                        done.completeExceptionally(e);
                    } else if (a.state == AdapterState.FAILED) {
                        done.completeExceptionally(failed(watchdog, "the bus scan"));
                    } else {
                        LOG.info("{}: started, {} logical unit(s)", a.name(), a.logicalUnits().size());
                        done.complete(a);
                    }
                });
            } catch (RuntimeException e) {
                a.fail("start failed: " + e.getMessage());
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The start failed in {@code routine}: the watchdog's verdict if it fired, else the adapter's reason (a bug check). */
    private DriverLoadException failed(StartWatchdog w, String routine) {
        return w.expiry() != null ? w.expiry()
                : new DriverLoadException(a.name() + ": " + routine + " failed: " + a.failureReason, NtStatus.STATUS_UNSUCCESSFUL);
    }

    /** Runs one start-up callback under the watchdog, in its phase; a callback that stopped the adapter fails the start. */
    private boolean timed(StartWatchdog w, InitPhase p, String routine, java.util.function.BooleanSupplier body) {
        w.arm(routine, Thread.currentThread());
        boolean r;
        try {
            r = inPhase(p, body);
        } finally {
            w.disarm();
        }
        if (a.state == AdapterState.FAILED) {
            throw failed(w, routine);
        }
        return r;
    }

    private void initialize(StartWatchdog w) {
        HwInitializationData<Object> d = a.data();
        boolean virtual = d.isVirtual();
        PortConfigurationInformation config = new PortConfigurationInformation(0, d.adapterInterfaceType(),
                virtual ? List.of() : a.device.accessRanges(), virtual ? 0 : a.device.model().msixMessageCount(), virtual);
        config.setSrbExtensionSize(d.srbExtensionSize());
        a.config = config;

        // 1. HwStorFindAdapter: PASSIVE_LEVEL, no lock.
        FindAdapterStatus[] found = new FindAdapterStatus[1];
        timed(w, InitPhase.FIND_ADAPTER, "HwStorFindAdapter", () -> a.call("HwStorFindAdapter", () -> {
            found[0] = d.hwFindAdapter().findAdapter(a.deviceExtension, a.registration.hwContext(), a.busInformation, "", config);
            return true;
        }));
        if (found[0] != FindAdapterStatus.SP_RETURN_FOUND) {
            throw new DriverLoadException(a.name() + ": HwStorFindAdapter returned " + found[0], NtStatus.STATUS_DEVICE_DOES_NOT_EXIST);
        }
        // Storport asks which HwStorAdapterControl types the miniport handles right after FindAdapter.
        timed(w, InitPhase.NONE, "HwStorAdapterControl", () -> {
            a.control.querySupportedTypes();
            return true;
        });
        if (config.getNumberOfPhysicalBreaks() < 0 || config.getMaximumTransferLength() <= 0) {
            report(VerifierRule.FIND_ADAPTER_CONFIG, "MaximumTransferLength=" + config.getMaximumTransferLength()
                    + " NumberOfPhysicalBreaks=" + config.getNumberOfPhysicalBreaks());
        }
        if (a.srbExtensionSizeAtUncached >= 0 && a.srbExtensionSizeAtUncached != config.getSrbExtensionSize()) {
            report(VerifierRule.UNCACHED_EXTENSION_WRONG_TIME, "SrbExtensionSize changed from "
                    + a.srbExtensionSizeAtUncached + " to " + config.getSrbExtensionSize() + " after StorPortGetUncachedExtension");
        }

        // 2. Connect interrupts.
        if (!virtual) {
            connectInterrupts(d, config);
        }

        // 3. HwStorInitialize: DIRQL under the interrupt lock for a physical miniport.
        boolean ok = timed(w, InitPhase.HW_INITIALIZE, "HwStorInitialize", () -> {
            if (virtual) {
                return a.call("HwStorInitialize", () -> d.hwInitialize().initialize(a.deviceExtension));
            }
            KSpinLock[] locks = a.interruptLocks();
            int old = a.kernel.acquireGroup(locks);
            try {
                return a.call("HwStorInitialize", () -> d.hwInitialize().initialize(a.deviceExtension));
            } finally {
                a.kernel.releaseGroup(locks, old);
            }
        });
        if (!ok || a.state == AdapterState.FAILED) {
            throw new DriverLoadException(a.name() + ": HwStorInitialize failed", NtStatus.STATUS_UNSUCCESSFUL);
        }

        // 4. The passive routine, PASSIVE_LEVEL, no lock: the only place DPCs are initialised.
        if (a.passiveInitRoutine != null) {
            @SuppressWarnings("unchecked")
            var routine = (io.vhba.miniport.HwStorPassiveInitializeRoutine<Object>) a.passiveInitRoutine;
            boolean passiveOk = timed(w, InitPhase.PASSIVE_INITIALIZE, "HwStorPassiveInitializeRoutine",
                    () -> a.call("HwStorPassiveInitializeRoutine", () -> routine.passiveInitialize(a.deviceExtension)));
            if (!passiveOk || a.state == AdapterState.FAILED) {
                throw new DriverLoadException(a.name() + ": passive initialisation failed", NtStatus.STATUS_UNSUCCESSFUL);
            }
        }
        a.state = AdapterState.RUNNING;
    }

    private void connectInterrupts(HwInitializationData<Object> d, PortConfigurationInformation config) {
        int level = Irql.DIRQL_MIN + 2;
        int n = a.kernel.processors().size();
        @SuppressWarnings("unchecked")
        HwStorMessageSignaledInterruptRoutine<Object> msi =
                (HwStorMessageSignaledInterruptRoutine<Object>) config.getHwMSInterruptRoutine();
        int messages = config.getMessageCount();
        if (msi != null && messages > 0) {
            boolean perMessage = config.getInterruptSynchronizationMode()
                    == InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE;
            KInterrupt[] kis = new KInterrupt[messages];
            KSpinLock[] locks = new KSpinLock[perMessage ? messages : 0];
            for (int m = 0; m < messages; m++) {
                KSpinLock lock = perMessage
                        ? new KSpinLock(a.name() + " MSI" + m + " lock", level, KSpinLock.RANK_INTERRUPT)
                        : a.interruptLock;
                if (perMessage) {
                    locks[m] = lock;
                }
                int id = m;
                String routine = "HwMSInterruptRoutine(" + id + ")"; // once, not per interrupt
                InterruptServiceRoutine isr = ki -> a.call(routine, () -> msi.messageSignaledInterrupt(a.deviceExtension, id));
                // MSI-X message m is aimed at processor m mod N, like an NVMe queue-per-core layout.
                kis[m] = new KInterrupt(a.name() + " MSI-X " + m, level, lock, a.kernel.processor(m % n), false, isr);
            }
            a.msiLocks = locks;
            a.interrupts = kis;
            a.device.deviceInterrupts().connect(kis, null);
        } else if (d.hwInterrupt() != null) {
            InterruptServiceRoutine isr = ki -> a.call("HwStorInterrupt", () -> d.hwInterrupt().interrupt(a.deviceExtension));
            KInterrupt line = new KInterrupt(a.name() + " INTx", level, a.interruptLock, a.kernel.processor(0), true, isr);
            a.interrupts = new KInterrupt[] {line};
            a.device.deviceInterrupts().connect(new KInterrupt[0], line);
        }
    }

    private boolean inPhase(InitPhase p, java.util.function.BooleanSupplier body) {
        a.phase = p;
        a.phaseThread = Thread.currentThread();
        try {
            return body.getAsBoolean();
        } finally {
            a.phase = InitPhase.NONE;
            a.phaseThread = null;
        }
    }

    private void report(VerifierRule rule, String detail) {
        try {
            a.verifyFailed(rule, 0, 0, detail);
        } catch (BugCheckException e) {
            throw new DriverLoadException(a.name() + ": " + e.getMessage(), NtStatus.STATUS_UNSUCCESSFUL);
        }
    }
}
