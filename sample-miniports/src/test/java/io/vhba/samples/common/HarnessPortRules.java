package io.vhba.samples.common;

import io.vhba.miniport.HwStorDpcRoutine;
import io.vhba.miniport.HwStorPassiveInitializeRoutine;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.samples.common.FakeSrb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the single-threaded sample harnesses ({@link HarnessPort} and so HalfDuplexPort,
 * VirtualPort and the mailbox FakeStorPort) enforce the same way, as Storport and its verifier
 * would: the start-up phases, RequestComplete (never twice, never with SRB_STATUS_PENDING,
 * never with the port's QUEUE_FROZEN flag), passive initialisation enabled only from
 * HwInitialize, DPCs initialised only in passive initialisation and queued at most once
 * (STORPORT.md, "DPCs"). DPCs run when the test says.
 *
 * @param <E> the sample's device extension
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class HarnessPortRules<E> {
    /** Where the port is in the start-up order STORPORT.md gives. */
    public enum Phase { DRIVER_ENTRY, FIND_ADAPTER, INITIALIZE, PASSIVE, RUNNING }

    /** Completed SRBs, in completion order. */
    public final List<FakeSrb> completed = new ArrayList<>();
    /** What each StorPortIssueDpc answered, in order. */
    public final List<Boolean> issued = new ArrayList<>();
    private Phase phase = Phase.DRIVER_ENTRY;
    private HwStorPassiveInitializeRoutine<E> passive;
    private final Map<StorDpc, HwStorDpcRoutine> dpcs = new HashMap<>();
    private final LinkedHashSet<StorDpc> dpcQueue = new LinkedHashSet<>();

    public Phase phase() {
        return phase;
    }

    public void enter(Phase p) {
        phase = p;
    }

    /** The documented notification type with this code; an undocumented one fails the test. */
    public static NotificationType documented(int code) {
        NotificationType t = NotificationType.of(code);
        if (t == null) {
            throw new AssertionError("undocumented notification type " + code);
        }
        return t;
    }

    /** {@code StorPortNotification(RequestComplete)}. */
    public void requestComplete(FakeSrb srb) {
        if (srb.completed) {
            throw new AssertionError("SRB completed twice (bug check 0xF1/0x2004)");
        }
        if (SrbStatus.of(srb.srbStatusByte & 0x3F) == SrbStatus.PENDING) {
            throw new AssertionError("SRB completed with SRB_STATUS_PENDING");
        }
        // srb.h: SRB_STATUS_QUEUE_FROZEN is the port's to set when it freezes the LU queue.
        if ((srb.srbStatusByte & SrbStatus.QUEUE_FROZEN) != 0) {
            throw new AssertionError("a miniport never sets QUEUE_FROZEN");
        }
        srb.completed = true;
        completed.add(srb);
    }

    /** {@code StorPortEnablePassiveInitialization}: only from HwInitialize. */
    public boolean enablePassiveInitialization(Object routine) {
        if (phase != Phase.INITIALIZE) {
            return false;
        }
        passive = (HwStorPassiveInitializeRoutine<E>) routine;
        return true;
    }

    /** The passive initialisation routine, which the sample must have enabled. */
    public void runPassiveInitialization(E ext) {
        phase = Phase.PASSIVE;
        if (passive == null || !passive.passiveInitialize(ext)) {
            throw new AssertionError("passive initialisation missing or failed");
        }
    }

    /** {@code StorPortInitializeDpc}: only in passive initialisation. */
    public void initializeDpc(StorDpc dpc, Object routine) {
        if (phase != Phase.PASSIVE) {
            throw new AssertionError("StorPortInitializeDpc outside passive initialisation");
        }
        dpcs.put(dpc, (HwStorDpcRoutine) routine);
    }

    /** {@code StorPortIssueDpc}: false when already queued. */
    public boolean issueDpc(StorDpc dpc) {
        if (!dpcs.containsKey(dpc)) {
            throw new AssertionError("StorPortIssueDpc of an uninitialised DPC");
        }
        boolean queued = dpcQueue.add(dpc);
        issued.add(queued);
        return queued;
    }

    /** How many DPCs the sample initialised. */
    public int initializedDpcs() {
        return dpcs.size();
    }

    public int queuedDpcs() {
        return dpcQueue.size();
    }

    /** Runs queued DPCs until none is left, those they queue included; returns how many ran. */
    public int runDpcs(E ext) {
        int n = 0;
        while (!dpcQueue.isEmpty()) {
            StorDpc dpc = dpcQueue.iterator().next();
            dpcQueue.remove(dpc);
            dpcs.get(dpc).dpc(dpc, ext, null, null);
            n++;
        }
        return n;
    }

    /** Runs the DPCs queued now (not those they queue); returns how many ran. */
    public int runQueuedDpcs(E ext) {
        List<StorDpc> now = new ArrayList<>(dpcQueue);
        dpcQueue.clear();
        for (StorDpc d : now) {
            dpcs.get(d).dpc(d, ext, null, null);
        }
        return now.size();
    }
}
