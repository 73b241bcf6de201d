package io.vhba.samples.virtual;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ResultHandoff;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.SrbTranslation;
import io.vhba.samples.common.StartIoFunctions;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * StartIo and the execution DPC. A virtual miniport has no interrupt: nothing will call it
 * back when the work is done, so StartIo queues the request and a DPC it issues itself runs
 * it on the backing and completes it, after StartIo has returned.
 */
final class VirtualIo {
    /**
     * The most requests one DPC run executes. A DPC has a time allotment (DPC watchdog, bug
     * check 0x133); with more queued it issues itself again and returns, letting other DPCs run.
     */
    static final int BATCH = 32;

    private final StorPort port;
    private final StartIoFunctions<VirtualExtension> functions;

    VirtualIo(StorPort port) {
        this.port = port;
        this.functions = new StartIoFunctions<>(port);
        functions.on(SrbFunction.EXECUTE_SCSI, this::queue);
        functions.on(SrbFunction.ABORT_COMMAND, this::abortCommand);
        functions.on(SrbFunction.RESET_LOGICAL_UNIT,
                (ext, srb) -> resetQueued(ext, srb, s -> s.targetId() == srb.targetId() && s.lun() == srb.lun()));
        functions.on(SrbFunction.RESET_DEVICE, (ext, srb) -> resetQueued(ext, srb, s -> s.targetId() == srb.targetId()));
    }

    // ---- HwStorStartIo ---------------------------------------------------------------------

    /**
     * HwStorStartIo, full duplex: DISPATCH_LEVEL holding the StartIo lock. An I/O is only
     * queued here, never run: StartIo must not wait (SDV StorPortStartIo), and completing in
     * StartIo would hold the StartIo lock, and so every other processor's StartIo, for as long
     * as the backing takes. Task management is answered at once: it only looks at the queue.
     */
    boolean startIo(VirtualExtension ext, Srb srb) {
        functions.start(ext, srb);
        return true;
    }

    private void queue(VirtualExtension ext, Srb srb) {
        ext.queued.add(srb);
        // false: already queued, and that run will find this SRB too (a DPC queued twice runs once)
        port.issueDpc(ext, ext.executeDpc, null, null);
    }

    /**
     * ABORT_COMMAND: a victim still queued, or still held by the backing, completes ABORTED (the backing's
     * later answer is dropped); one a DPC is running is past aborting (ABORT_FAILED).
     */
    private void abortCommand(VirtualExtension ext, Srb srb) {
        Srb victim = srb.nextSrb();
        if (victim != null && (ext.queued.remove(victim) || ext.inBacking.remove(victim))) {
            complete(ext, victim, SrbStatus.ABORTED);
            complete(ext, srb, SrbStatus.SUCCESS);
        } else {
            complete(ext, srb, SrbStatus.ABORT_FAILED);
        }
    }

    /** RESET_LOGICAL_UNIT / RESET_DEVICE: what is still queued or held for the unit(s) completes BUS_RESET. */
    private void resetQueued(VirtualExtension ext, Srb srb, Predicate<Srb> addressed) {
        completeQueued(ext, addressed, SrbStatus.BUS_RESET);
        complete(ext, srb, SrbStatus.SUCCESS);
    }

    /**
     * Takes every SRB {@code which} selects out of the queue and out of the backing's hands and completes it
     * with {@code status}.
     */
    void completeQueued(VirtualExtension ext, Predicate<Srb> which, SrbStatus status) {
        for (Iterator<Srb> it = ext.queued.iterator(); it.hasNext(); ) {
            Srb s = it.next();
            if (which.test(s) && ext.queued.remove(s)) { // remove: a DPC may have taken it meanwhile
                complete(ext, s, status);
            }
        }
        for (Srb s : ext.inBacking) {
            if (which.test(s) && ext.inBacking.remove(s)) { // remove: its answer may have been completed meanwhile
                complete(ext, s, status);
            }
        }
    }

    // ---- HwStorDpcRoutine ------------------------------------------------------------------

    /**
     * The execution DPC: DISPATCH_LEVEL, no lock. It may run on two processors at once (queued
     * again while running); both take SRBs from the lock-free queue, so each SRB is run and
     * completed by exactly one of them and no DPC lock is needed.
     */
    void executeDpc(StorDpc dpc, VirtualExtension ext) {
        for (VirtualExtension.LateAnswer late; (late = ext.answered.poll()) != null; ) {
            if (ext.inBacking.remove(late.srb())) { // else an abort or reset completed it already
                BackingResult.apply(late.srb(), late.result());
                port.notification(NotificationType.REQUEST_COMPLETE, ext, late.srb());
            }
        }
        for (int n = 0; n < BATCH; n++) {
            Srb srb = ext.queued.poll();
            if (srb == null) {
                return;
            }
            if (execute(ext, srb)) {
                port.notification(NotificationType.REQUEST_COMPLETE, ext, srb); // the port's from here on
            }
        }
        if (!ext.queued.isEmpty()) {
            port.issueDpc(ext, ext.executeDpc, null, null);
        }
    }

    /** Runs the SRB on the backing; false if the backing answers later (the SRB is then in {@code inBacking}). */
    private boolean execute(VirtualExtension ext, Srb srb) {
        int length = srb.dataTransferLength();
        int direction = srb.srbFlags() & SrbFlags.UNSPECIFIED_DIRECTION;
        boolean in = (direction & SrbFlags.DATA_IN) != 0;
        boolean out = (direction & SrbFlags.DATA_OUT) != 0;
        if (srb.cdbLength() < 1 || (length > 0 && (srb.dataBuffer() == null || direction == 0))) {
            srb.setSrbStatus(SrbStatus.INVALID_REQUEST);
            return true;
        }
        byte[] cdb = new byte[Math.max(16, srb.cdbLength())];
        int cdbLength = srb.copyCdb(cdb);
        DataDirection dir = length == 0 ? DataDirection.NONE
                : in && out ? DataDirection.BIDIRECTIONAL : in ? DataDirection.IN : DataDirection.OUT;
        DataBuffer data = length == 0 ? DataBuffer.NONE : new SrbDataBuffer(srb.dataBuffer(), length, in, out);
        ResultHandoff handoff = new ResultHandoff();
        ScsiResult result;
        try {
            ext.backing.start(srb.targetId(), srb.lun(), new ScsiCommand(cdb, cdbLength, dir, data, SrbTranslation.taskAttribute(srb)),
                    handoff);
            // The SRB's monitor orders "held by the backing" before its late answer is queued.
            synchronized (srb) {
                result = handoff.takeOr(late -> answerLater(ext, srb, late));
                if (result == null) {
                    ext.inBacking.add(srb);
                    return false;
                }
            }
        } catch (RuntimeException e) {
            port.logError(ext, srb, srb.pathId(), srb.targetId(), srb.lun(), 0x1003, 0x5649_0001);
            result = null;
        }
        if (result == null) {
            BackingResult.failed(srb);
        } else {
            BackingResult.apply(srb, result);
        }
        return true;
    }

    /** The backing's thread: queues the answer and issues the DPC that completes it. */
    private void answerLater(VirtualExtension ext, Srb srb, ScsiResult result) {
        synchronized (srb) {
            ext.answered.add(new VirtualExtension.LateAnswer(srb, result));
        }
        port.issueDpc(ext, ext.executeDpc, null, null);
    }

    void complete(VirtualExtension ext, Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
    }
}
