package com.example.miniport;

import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ResultHandoff;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorPort;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * One adapter's device extension, and the HwStor routines Storport calls on it. There is no hardware:
 * FindAdapter receives the configured disks as a ScsiBus. StartIo only queues a request; the adapter's
 * DPC runs it on its disk and completes it. Whoever takes a request out of {@code queued} or
 * {@code waiting} completes it, so every request is completed exactly once.
 */
final class ExampleAdapter {
    private final StorPort port;
    private final StorDpc dpc = new StorDpc();
    /** Accepted by StartIo, not run yet. */
    private final Queue<Srb> queued = new ConcurrentLinkedQueue<>();
    /** Run, but the disk answers later (a SANITIZE or FORMAT UNIT without IMMED takes seconds). */
    private final Set<Srb> waiting = ConcurrentHashMap.newKeySet();
    /** Those later answers, for the next DPC run to complete. */
    private final Queue<Map.Entry<Srb, ScsiResult>> answers = new ConcurrentLinkedQueue<>();
    private ScsiBus disks;

    ExampleAdapter(StorPort port) {
        this.port = port;
    }

    /** HwStorFindAdapter (PASSIVE_LEVEL, no lock): keep the disks, and give Storport this adapter's limits. */
    FindAdapterStatus findAdapter(Object hwContext, Object busInformation, String arguments,
                                  PortConfigurationInformation config) {
        if (!(busInformation instanceof ScsiBus bus) || bus.luns(0).isEmpty()) {
            return FindAdapterStatus.SP_RETURN_NOT_FOUND;
        }
        disks = bus;
        List<Integer> luns = bus.luns(0);
        config.setMaximumTransferLength(1 << 20);
        config.setNumberOfPhysicalBreaks(256);
        config.setMaximumNumberOfLogicalUnits(luns.get(luns.size() - 1) + 1);
        return FindAdapterStatus.SP_RETURN_FOUND;
    }

    /** HwStorInitialize (PASSIVE_LEVEL for a virtual miniport): a DPC may only be set up in the passive routine. */
    boolean initialize() {
        return port.enablePassiveInitialization(this, ExampleAdapter::passiveInitialize);
    }

    private boolean passiveInitialize() {
        port.initializeDpc(this, dpc, (d, adapter, argument1, argument2) -> adapter.runRequests());
        return true;
    }

    /** HwStorStartIo (DISPATCH_LEVEL, StartIo lock held): it must not wait, so it only queues I/O for the DPC. */
    boolean startIo(Srb srb) {
        switch (srb.function()) {
            case EXECUTE_SCSI -> {
                queued.add(srb);
                port.issueDpc(this, dpc, null, null); // FALSE if already queued: that run finds this SRB too
            }
            case ABORT_COMMAND -> {
                Srb victim = srb.nextSrb();
                boolean taken = victim != null && (queued.remove(victim) || waiting.remove(victim));
                if (taken) {
                    complete(victim, SrbStatus.ABORTED);
                }
                complete(srb, taken ? SrbStatus.SUCCESS : SrbStatus.ABORT_FAILED);
            }
            case RESET_LOGICAL_UNIT -> {
                completeAll(s -> s.targetId() == srb.targetId() && s.lun() == srb.lun(), SrbStatus.BUS_RESET);
                complete(srb, SrbStatus.SUCCESS);
            }
            case RESET_DEVICE -> {
                completeAll(s -> s.targetId() == srb.targetId(), SrbStatus.BUS_RESET);
                complete(srb, SrbStatus.SUCCESS);
            }
            default -> complete(srb, SrbStatus.INVALID_REQUEST);
        }
        return true;
    }

    /** HwStorResetBus (DISPATCH_LEVEL, StartIo lock held): every request still held completes BUS_RESET. */
    boolean resetBus(int pathId) {
        completeAll(s -> true, SrbStatus.BUS_RESET);
        return true;
    }

    /** The DPC (DISPATCH_LEVEL, no lock). It may run on two processors at once: both take from the same queues. */
    private void runRequests() {
        for (Map.Entry<Srb, ScsiResult> a; (a = answers.poll()) != null; ) {
            if (waiting.remove(a.getKey())) { // else an abort or reset completed it already
                finish(a.getKey(), a.getValue());
            }
        }
        for (Srb srb; (srb = queued.poll()) != null; ) {
            run(srb);
        }
    }

    private void run(Srb srb) {
        int length = srb.dataTransferLength();
        boolean in = (srb.srbFlags() & SrbFlags.DATA_IN) != 0;
        boolean out = (srb.srbFlags() & SrbFlags.DATA_OUT) != 0;
        DataDirection direction = length == 0 ? DataDirection.NONE
                : in && out ? DataDirection.BIDIRECTIONAL : in ? DataDirection.IN : DataDirection.OUT;
        byte[] cdb = new byte[Math.max(16, srb.cdbLength())];
        srb.copyCdb(cdb);
        ResultHandoff handoff = new ResultHandoff();
        disks.start(srb.targetId(), srb.lun(), new ScsiCommand(cdb, srb.cdbLength(), direction, buffer(srb, length), 0),
                handoff);
        ScsiResult result;
        synchronized (srb) { // a late answer waits here until the SRB is in waiting (see answerLater)
            result = handoff.takeOr(late -> answerLater(srb, late));
            if (result == null) {
                waiting.add(srb);
                return;
            }
        }
        finish(srb, result);
    }

    /** On the disk's own thread: queue the answer and issue the DPC that completes it. */
    private void answerLater(Srb srb, ScsiResult result) {
        synchronized (srb) {
            answers.add(Map.entry(srb, result));
        }
        port.issueDpc(this, dpc, null, null);
    }

    /** The SRB's buffer as the disk sees it. A virtual miniport has no DMA: it copies through the virtual address. */
    private static DataBuffer buffer(Srb srb, int length) {
        if (length == 0) {
            return DataBuffer.NONE;
        }
        MemoryBuffer memory = srb.dataBuffer();
        return new DataBuffer() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public void writeDataIn(int offset, ByteBuffer from) {
                byte[] b = new byte[from.remaining()];
                from.get(b);
                memory.put(offset, b, 0, b.length);
            }

            @Override
            public void readDataOut(int offset, ByteBuffer to) {
                byte[] b = new byte[to.remaining()];
                memory.get(offset, b, 0, b.length);
                to.put(b);
            }
        };
    }

    /** The disk's answer into the SRB by Storport's status rules, then RequestComplete. */
    private void finish(Srb srb, ScsiResult result) {
        boolean shortTransfer = result.transferred() < srb.dataTransferLength();
        if (shortTransfer) {
            srb.setDataTransferLength(result.transferred()); // the count actually moved
        }
        srb.setScsiStatus(result.status().code());
        if (result.isGood()) {
            complete(srb, shortTransfer ? SrbStatus.DATA_OVERRUN : SrbStatus.SUCCESS);
        } else if (result.sense() != null && srb.senseInfoBuffer() != null) {
            byte[] sense = result.sense().toBytes(); // autosense: the port needs no REQUEST SENSE
            int n = Math.min(sense.length, srb.senseInfoBufferLength());
            srb.senseInfoBuffer().put(0, sense, 0, n);
            srb.setSenseInfoBufferLength(n);
            srb.setSrbStatus(SrbStatus.ERROR, true);
            port.notification(NotificationType.REQUEST_COMPLETE, this, srb);
        } else {
            complete(srb, SrbStatus.ERROR);
        }
    }

    private void completeAll(Predicate<Srb> which, SrbStatus status) {
        for (Srb s : queued) {
            if (which.test(s) && queued.remove(s)) {
                complete(s, status);
            }
        }
        for (Srb s : waiting) {
            if (which.test(s) && waiting.remove(s)) {
                complete(s, status);
            }
        }
    }

    /** RequestComplete: from here on the SRB belongs to the port; the miniport must not touch it again. */
    private void complete(Srb srb, SrbStatus status) {
        srb.setSrbStatus(status);
        port.notification(NotificationType.REQUEST_COMPLETE, this, srb);
    }
}
