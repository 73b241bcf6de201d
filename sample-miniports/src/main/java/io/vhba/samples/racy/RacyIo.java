package io.vhba.samples.racy;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.miniport.StorPortFunctionCode;
import io.vhba.miniport.SynchronizationModel;
import io.vhba.miniport.kernel.KDpcImportance;
import io.vhba.samples.virtual.BackingResult;
import io.vhba.samples.virtual.SrbDataBuffer;
import java.util.function.Predicate;

/** FindAdapter, initialisation, StartIo, the completion DPC and ResetBus of the racy miniport. */
final class RacyIo {
    static final int MAXIMUM_TRANSFER_LENGTH = 1 << 20;
    /** How long the DPC "waits for the device's status to settle": the real-time gap that hides the race. */
    static final int SETTLE_MICROS = 1000;

    private final StorPort port;

    RacyIo(StorPort port) {
        this.port = port;
    }

    FindAdapterStatus findAdapter(RacyExtension ext, Object hwContext, Object busInformation, String argumentString,
                                  PortConfigurationInformation config) {
        if (!config.isVirtualDevice() || !(busInformation instanceof ScsiBus backing)) {
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        ext.backing = backing;
        int luns = 0;
        for (int lun : backing.luns(0)) {
            luns = Math.max(luns, lun + 1);
        }
        if (luns == 0) {
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        config.setMaximumTransferLength(MAXIMUM_TRANSFER_LENGTH);
        config.setNumberOfPhysicalBreaks(MAXIMUM_TRANSFER_LENGTH / 4096);
        config.setScatterGather(false);
        config.setMaster(false);
        config.setNumberOfBuses(1);
        config.setMaximumNumberOfTargets(1);
        config.setMaximumNumberOfLogicalUnits(luns);
        config.setTaggedQueuing(true);
        config.setMultipleRequestPerLu(true);
        config.setMaxIosPerLun(64);
        config.setInitialLunQueueDepth(64);
        config.setSynchronizationMode(SynchronizationModel.FULL_DUPLEX);
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    boolean initialize(RacyExtension ext) {
        return port.enablePassiveInitialization(ext, this::passiveInitialize);
    }

    /** The completion DPC, high enough in importance to start at once on the processor it is aimed at. */
    private boolean passiveInitialize(RacyExtension ext) {
        port.kernel().initializeDpc(ext.completionDpc, (dpc, ctx, a1, a2) -> completionDpc(ext), ext);
        long affinity = (Long) port.extendedFunction(StorPortFunctionCode.GET_GROUP_AFFINITY, ext, 0);
        ext.processors = Math.max(1, Long.bitCount(affinity));
        port.kernel().setImportanceDpc(ext.completionDpc, KDpcImportance.MEDIUM_HIGH_IMPORTANCE);
        return true;
    }

    /** HwStorStartIo, full duplex: DISPATCH_LEVEL holding the StartIo lock. */
    boolean startIo(RacyExtension ext, Srb srb) {
        SrbFunction f = srb.function();
        if (f == SrbFunction.EXECUTE_SCSI) {
            execute(ext, srb);
        } else if (f == SrbFunction.ABORT_COMMAND) {
            Srb victim = srb.nextSrb();
            boolean done = victim != null && completeIfOutstanding(ext, victim, SrbStatus.ABORTED);
            complete(ext, srb, done ? SrbStatus.SUCCESS : SrbStatus.ABORT_FAILED);
        } else if (f == SrbFunction.RESET_LOGICAL_UNIT || f == SrbFunction.RESET_DEVICE) {
            completeAll(ext, s -> s.lun() == srb.lun() || f == SrbFunction.RESET_DEVICE, SrbStatus.BUS_RESET);
            complete(ext, srb, SrbStatus.SUCCESS);
        } else {
            complete(ext, srb, SrbStatus.INVALID_REQUEST);
        }
        return true;
    }

    /** HwStorResetBus: DISPATCH_LEVEL, StartIo lock: everything outstanding completes BUS_RESET. */
    boolean resetBus(RacyExtension ext, int pathId) {
        completeAll(ext, s -> true, SrbStatus.BUS_RESET);
        return true;
    }

    /** The "device" runs the command at once; the completion DPC on the other processor completes it. */
    private void execute(RacyExtension ext, Srb srb) {
        int length = srb.dataTransferLength();
        boolean in = (srb.srbFlags() & SrbFlags.DATA_IN) != 0;
        boolean out = (srb.srbFlags() & SrbFlags.DATA_OUT) != 0;
        byte[] cdb = new byte[Math.max(16, srb.cdbLength())];
        int cdbLength = srb.copyCdb(cdb);
        DataDirection dir = length == 0 ? DataDirection.NONE : in ? DataDirection.IN : DataDirection.OUT;
        DataBuffer data = length == 0 ? DataBuffer.NONE : new SrbDataBuffer(srb.dataBuffer(), length, in, out);
        ScsiResult result = ext.backing.execute(srb.targetId(), srb.lun(), new ScsiCommand(cdb, cdbLength, dir, data, 0));
        long token = ext.tokens.incrementAndGet();
        ext.outstanding.put(srb, token);
        ext.finished.add(new RacyExtension.Finished(srb, token, result));
        // completion on the next processor (interrupt steering): it runs beside this processor's next StartIo
        port.kernel().setTargetProcessorDpc(ext.completionDpc, (port.getCurrentProcessorNumber(ext) + 1) % ext.processors);
        port.kernel().insertQueueDpc(ext.completionDpc, null, null);
    }

    /**
     * THE BUG. A correct driver takes the StartIo lock here (StorPortAcquireSpinLock(StartIoLock)), as StartIo's abort
     * and reset paths hold it, or claims the request in one step ({@code outstanding.remove(srb, token)}). Without
     * either, an abort can find the SRB outstanding after this DPC has checked it and before it removed it, and both
     * complete it (0x2004), or one touches an SRB the port already returned (0x3001).
     */
    private void completionDpc(RacyExtension ext) {
        // "Let the device's status settle": only what finished before the stall is completed in this run, so every
        // request it completes is at least SETTLE_MICROS old, past any ABORT TASK the initiator sent right behind it.
        // That real-time gap is what hides the window from free-running runs.
        int settled = ext.finished.size();
        port.stallExecution(SETTLE_MICROS);
        for (int i = 0; i < settled; i++) {
            RacyExtension.Finished f = ext.finished.poll();
            Srb srb = f.srb();
            Long token = ext.outstanding.get(srb);
            if (token != null && token == f.token()) {
                // per-LU bookkeeping between the check and the removal: a port call, so a point where the scheduler
                // may run the other processor's StartIo, yet in real time only a lookup wide
                port.getLogicalUnit(ext, srb.pathId(), srb.targetId(), srb.lun());
                ext.outstanding.remove(srb, token);
                BackingResult.apply(srb, f.result());
                port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
            }
        }
        if (!ext.finished.isEmpty()) {
            port.kernel().insertQueueDpc(ext.completionDpc, null, null); // the younger ones, in the next run
        }
    }

    /** StartIo's side (StartIo lock held): the same check, bookkeeping and removal, then the completion. */
    private boolean completeIfOutstanding(RacyExtension ext, Srb srb, SrbStatus status) {
        Long token = ext.outstanding.get(srb);
        if (token != null) {
            port.getLogicalUnit(ext, srb.pathId(), srb.targetId(), srb.lun());
            ext.outstanding.remove(srb, token);
            srb.setSrbStatus(status);
            port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
            return true;
        }
        return false;
    }

    private void completeAll(RacyExtension ext, Predicate<Srb> which, SrbStatus status) {
        for (Srb s : ext.outstanding.keySet().toArray(new Srb[0])) {
            if (which.test(s)) {
                completeIfOutstanding(ext, s, status);
            }
        }
    }

    private void complete(RacyExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }
}
