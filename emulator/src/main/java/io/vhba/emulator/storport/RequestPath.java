package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KSpinLock;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An adapter's request path: {@link #submit} admits an SRB to its LU queue; {@link #issue} calls HwStorBuildIo with
 * no lock, then HwStorStartIo under the lock of the synchronisation model, at DISPATCH_LEVEL on the calling
 * processor. Completion ({@code RequestComplete}) queues the SRB to the engine's completion DPC, which returns it to
 * its owner and starts what waits. Static over the {@link Adapter} (which keeps the entry points), so the per-I/O path
 * costs no allocation or call through an interface beyond what the miniport's routines need.
 */
final class RequestPath {
    private static final Logger LOG = LoggerFactory.getLogger(Adapter.class);

    private RequestPath() {}

    /** See {@link Adapter#submit}. */
    static void submit(Adapter a, EngineSrb srb) {
        srb.startNanos = a.kernel.nanoTime(); // the kernel's clock: virtual in deterministic mode
        if (a.state != AdapterState.RUNNING && a.state != AdapterState.STARTING) {
            failImmediately(a, srb, SrbStatus.NO_HBA);
            return;
        }
        a.counters.submitted.increment();
        io.vhba.emulator.trace.Tracer t = a.kernel.trace();
        if (t != null) {
            long carried = t.carriedFlow();
            srb.traceId = carried != 0 ? carried : t.newFlow();
            t.async('b', queueTrack(a, srb.lu), srb.traceId);
        }
        boolean start = srb.lu.admitOrQueue(srb, canStart(a));
        if (t != null) {
            traceQueue(a, t, srb.lu);
        }
        if (start) {
            issue(a, srb);
        }
    }

    /** The timeline's name of a LU's queue. */
    private static String queueTrack(Adapter a, PortLogicalUnit lu) {
        String n = lu.traceName;
        if (n == null) {
            n = a.name() + " LUN " + lu.address();
            lu.traceName = n;
        }
        return n;
    }

    /** The LU queue's counter: requests waiting in the port's queue, and requests the miniport holds. */
    private static void traceQueue(Adapter a, io.vhba.emulator.trace.Tracer t, PortLogicalUnit lu) {
        t.counter(queueTrack(a, lu) + " queue", "pending", Integer.toString(lu.pendingCount()), "active",
                Integer.toString(lu.outstanding()));
    }

    private static boolean canStart(Adapter a) {
        return (a.state == AdapterState.RUNNING || a.state == AdapterState.STARTING) && !a.holds.blocks() && !a.resetHold;
    }

    /** BuildIo (no lock), then StartIo under the synchronisation model's lock, at DISPATCH_LEVEL. */
    static void issue(Adapter a, EngineSrb srb) {
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            var p = a.kernel.currentProcessor();
            srb.issuedOnProcessor = p == null ? 0 : p.number();
            if (!srb.bypass && injected(a, srb)) {
                return;
            }
            HwInitializationData<Object> d = a.data();
            if (d.hwBuildIo() != null) {
                boolean proceed = MiniportCalls.call(a, "HwStorBuildIo",
                        () -> d.hwBuildIo().buildIo(a.deviceExtension, srb));
                if (srb.state == SrbState.COMPLETED || srb.state == SrbState.FREE) {
                    if (proceed) {
                        a.portFinding("HwStorBuildIo", VerifierRule.BUILDIO_RETURN_VALUE, System.identityHashCode(srb), 1,
                                "HwStorBuildIo completed the SRB but returned true");
                    }
                    return;
                }
                if (!proceed) {
                    a.portFinding("HwStorBuildIo", VerifierRule.BUILDIO_RETURN_VALUE, System.identityHashCode(srb), 0,
                            "HwStorBuildIo returned false without completing the SRB");
                    return;
                }
            }
            KSpinLock[] locks = startIoLocks(a);
            int o2 = locks == null ? -1 : a.kernel.acquireGroup(locks);
            boolean accepted;
            try {
                a.counters.startIo.increment();
                srb.startIoEntered = true;
                accepted = MiniportCalls.call(a, "HwStorStartIo", () -> {
                    io.vhba.emulator.trace.Tracer t = a.kernel.trace();
                    if (t != null && srb.traceId != 0) {
                        t.flow('t', srb.traceId); // inside the StartIo slice
                    }
                    return d.hwStartIo().startIo(a.deviceExtension, srb);
                });
            } finally {
                if (locks != null) {
                    a.kernel.releaseGroup(locks, o2);
                }
            }
            if (!accepted && srb.state == SrbState.MINIPORT && a.state == AdapterState.RUNNING) {
                // Storport treats a refused request as busy and retries it later.
                srb.srbStatus = SrbStatus.BUSY.code();
                completeFromMiniport(a, srb);
            }
        } finally {
            a.kernel.lowerIrql(old);
        }
    }

    /**
     * The locks HwStorStartIo runs under: the StartIo lock (full duplex), the interrupt lock (half duplex), or
     * with concurrent channels nothing but the port's channel lock when processors share a channel.
     */
    private static KSpinLock[] startIoLocks(Adapter a) {
        if (a.perfOpts.concurrentChannels()) {
            return a.perfOpts.channelLock();
        }
        return a.config.getSynchronizationMode() == SynchronizationModel.HALF_DUPLEX ? a.interruptLocks()
                : a.startIoLockAlone;
    }

    /** Lets the engine's {@link StartIoInterceptor} answer for the miniport; true if it did. */
    private static boolean injected(Adapter a, EngineSrb srb) {
        StartIoInterceptor.InjectedCompletion c = a.engine.startIoInterceptor().beforeStartIo(srb);
        if (c == null) {
            return false;
        }
        a.recovery.injectedCompletions.increment();
        srb.srbStatus = c.srbStatus().code();
        srb.scsiStatus = c.scsiStatus() & 0xFF;
        if (c.srbStatus() != SrbStatus.SUCCESS && c.srbStatus() != SrbStatus.DATA_OVERRUN && c.srbStatus() != SrbStatus.BUSY) {
            srb.dataTransferLength = 0; // nothing moved; a BUSY request is reissued whole
        }
        completeFromMiniport(a, srb);
        return true;
    }

    /** {@code StorPortNotification(RequestComplete)}: validated, then handed to the completion DPC. */
    static void completeFromMiniport(Adapter a, EngineSrb srb) {
        if (a.state == AdapterState.FAILED) {
            return; // the port already returned everything it held
        }
        if (srb.state != SrbState.MINIPORT) {
            a.verifyFailed(srb.state == SrbState.COMPLETED ? VerifierRule.DOUBLE_COMPLETION
                            : VerifierRule.SRB_USED_AFTER_COMPLETION,
                    System.identityHashCode(a.deviceExtension), System.identityHashCode(srb),
                    "RequestComplete for " + srb + " which the miniport does not own");
            return;
        }
        if ((srb.srbStatus & 0x3F) == SrbStatus.PENDING.code()) {
            a.verifyFailed(VerifierRule.INVALID_SRB_STATUS, System.identityHashCode(srb),
                    System.identityHashCode(a.deviceExtension), "RequestComplete with SRB_STATUS_PENDING for " + srb);
            return;
        }
        if ((srb.srbStatus & SrbStatus.QUEUE_FROZEN) != 0) {
            a.verifyFailed(VerifierRule.QUEUE_FROZEN_BY_MINIPORT, System.identityHashCode(srb), 0,
                    "the miniport set SRB_STATUS_QUEUE_FROZEN on " + srb);
            srb.srbStatus &= ~SrbStatus.QUEUE_FROZEN;
        }
        srb.state = SrbState.COMPLETED;
        a.counters.completed.increment();
        a.engine.completions().enqueue(srb);
    }

    /** Runs in the completion DPC (DISPATCH_LEVEL, no miniport lock held). */
    static void processCompletion(Adapter a, EngineSrb srb) {
        if (srb.state != SrbState.COMPLETED) {
            return; // the adapter failed and returned it already
        }
        PortLogicalUnit lu = srb.lu;
        if (srb.bypass) {
            deliver(a, srb);
            return;
        }
        lu.deactivate(srb);
        io.vhba.emulator.trace.Tracer t = a.kernel.trace();
        if (t != null && srb.traceId != 0) {
            t.flow('t', srb.traceId); // inside the completion DPC's slice
            t.async('e', queueTrack(a, lu), srb.traceId);
            traceQueue(a, t, lu);
        }
        if (srb.timedOut) {
            a.escalation.victimReturned(srb);
        }
        if ((srb.srbStatus & 0x3F) == SrbStatus.BUSY.code() && a.state == AdapterState.RUNNING) {
            a.counters.busy.increment();
            a.meters.status(srb.srbStatus);
            srb.resetForReissue();
            lu.requeueFirst(srb);
            a.holds.busyStatus();
            return;
        }
        lu.holds.onCompletion();
        a.holds.onCompletion();
        a.holds.afterCompletion();
        deliver(a, srb);
        pump(a, lu);
    }

    private static void deliver(Adapter a, EngineSrb srb) {
        a.counters.returned.increment();
        a.meters.returned(srb);
        try {
            srb.completion.srbCompleted(srb);
        } catch (RuntimeException e) {
            LOG.error("{}: completion handler for {} failed", a.name(), srb, e);
        }
    }

    static void issueBypass(Adapter a, EngineSrb srb) {
        srb.bypass = true;
        srb.state = SrbState.MINIPORT;
        srb.startNanos = a.kernel.nanoTime();
        issue(a, srb);
    }

    /** Starts what may start on {@code lu}. */
    static void pump(Adapter a, PortLogicalUnit lu) {
        EngineSrb next;
        while ((next = lu.nextToStart(canStart(a))) != null) {
            issue(a, next);
        }
    }

    /** Starts what may start on every LU, at DISPATCH_LEVEL on a processor (hopping to CPU 0 from other threads). */
    static void pumpAllUnits(Adapter a) {
        onProcessor(a, () -> {
            for (PortLogicalUnit u : a.allUnits()) {
                pump(a, u);
            }
        });
    }

    /** Starts what may start on {@code lu}, as {@link #pumpAllUnits}. */
    static void pumpUnit(Adapter a, PortLogicalUnit lu) {
        onProcessor(a, () -> pump(a, lu));
    }

    private static void onProcessor(Adapter a, Runnable r) {
        if (a.kernel.currentProcessor() == null) {
            a.kernel.execute(a.kernel.processor(0), () -> onProcessor(a, r));
            return;
        }
        int old = a.kernel.raiseIrql(Math.max(Irql.DISPATCH_LEVEL, a.kernel.currentIrql()));
        try {
            r.run();
        } finally {
            a.kernel.lowerIrql(old);
        }
    }

    /** Returns a request the port completed itself (status already set) to its owner. */
    static void completeByPort(Adapter a, EngineSrb srb) {
        srb.state = SrbState.FREE;
        deliver(a, srb);
    }

    static void failImmediately(Adapter a, EngineSrb srb, SrbStatus status) {
        srb.portComplete(status);
        srb.state = SrbState.FREE;
        deliver(a, srb);
    }
}
