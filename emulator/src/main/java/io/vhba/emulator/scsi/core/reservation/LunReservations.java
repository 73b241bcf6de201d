package io.vhba.emulator.scsi.core.reservation;

import io.vhba.emulator.scsi.core.ItNexus;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reservation state of one logical unit: persistent reservation registrations by I_T nexus,
 * the persistent reservation, PRgeneration and APTPL (SPC-4 5.13), and the SPC-2 reservation
 * (SPC-2 7.21) with the compatible reservation handling of SPC-4 5.13.3 between the two.
 * Every method is atomic with respect to the others.
 */
public final class LunReservations {
    private static final Logger LOG = LoggerFactory.getLogger(LunReservations.class);

    record Registration(long key, boolean allTargetPorts) {}

    /** A persistent reservation; for the all-registrants types {@code holder} is the nexus that created it. */
    record Reservation(ItNexus holder, PrType type) {}

    private final String lunId;
    private final PrStore store;
    private final int relativeTargetPortId;
    final Map<ItNexus, Registration> registrations = new LinkedHashMap<>();
    Reservation reservation;
    /** PRgeneration: a 32-bit wrapping counter (SPC-4 6.15.2). */
    int generation;
    boolean aptpl;
    private ItNexus spc2Holder;

    /**
     * The state of {@code lunId}, restored from {@code store} when a previous run saved it with
     * APTPL=1. {@code relativeTargetPortId} is the one target port every nexus of this LUN uses.
     */
    public LunReservations(String lunId, PrStore store, int relativeTargetPortId) throws IOException {
        this.lunId = lunId;
        this.store = store;
        this.relativeTargetPortId = relativeTargetPortId;
        PrSnapshot s = store.load(lunId);
        if (s != null) {
            restore(s);
            aptpl = true;
            LOG.info("{}: restored {} persistent reservation registration(s) (APTPL)", lunId, registrations.size());
        }
    }

    public String lunId() {
        return lunId;
    }

    int relativeTargetPortId() {
        return relativeTargetPortId;
    }

    boolean canPersist() {
        return store.canPersist();
    }

    boolean registered(ItNexus n) {
        return registrations.containsKey(n);
    }

    /** Whether {@code n} holds the persistent reservation (SPC-4 5.13.10). */
    boolean isHolder(ItNexus n) {
        if (reservation == null) {
            return false;
        }
        return reservation.type().allRegistrants() ? registered(n) : reservation.holder().equals(n);
    }

    // ---- conflicts ----------------------------------------------------------------------

    /**
     * Whether {@code cdb} from {@code nexus} conflicts with a reservation held by another I_T
     * nexus (SPC-4 5.13.1 for persistent reservations, SPC-2 5.5.1 for RESERVE). Reservation
     * commands are judged by their own handlers.
     */
    public synchronized boolean conflicts(ItNexus nexus, byte[] cdb) {
        AccessClass c = ConflictTable.classify(cdb);
        if (spc2Holder != null && !spc2Holder.equals(nexus)) {
            return c.conflictsWithSpc2();
        }
        if (reservation != null && !isHolder(nexus)) {
            return c.conflicts(reservation.type(), registered(nexus));
        }
        return false;
    }

    // ---- PERSISTENT RESERVE IN ----------------------------------------------------------

    /** PERSISTENT RESERVE IN (SPC-4 6.15): the full parameter data; the caller cuts it to the allocation length. */
    public synchronized PrAnswer reserveIn(ItNexus nexus, byte[] cdb) {
        if (spc2Holder != null) {
            return PrAnswer.conflict(); // SPC-4 5.13.3: no PR commands while an SPC-2 reservation is active
        }
        SenseData bad = ReservationCommand.validate(cdb);
        if (bad != null) {
            return PrAnswer.check(bad);
        }
        PrInAction a = PrInAction.of(cdb[1] & ReservationCommand.SERVICE_ACTION_MASK);
        return PrAnswer.data(switch (a) {
            case READ_KEYS -> PrInData.readKeys(this);
            case READ_RESERVATION -> PrInData.readReservation(this);
            case REPORT_CAPABILITIES -> PrInData.reportCapabilities(this);
            case READ_FULL_STATUS -> PrInData.readFullStatus(this);
        });
    }

    // ---- PERSISTENT RESERVE OUT ---------------------------------------------------------

    /** PERSISTENT RESERVE OUT (SPC-4 6.16) with its parameter list as received. */
    public synchronized PrAnswer reserveOut(ItNexus nexus, byte[] cdb, byte[] params) {
        if (spc2Holder != null) {
            return PrAnswer.conflict(); // SPC-4 5.13.3
        }
        SenseData bad = ReservationCommand.validate(cdb);
        if (bad != null) {
            return PrAnswer.check(bad);
        }
        PrOutAction a = PrOutAction.of(cdb[1] & ReservationCommand.SERVICE_ACTION_MASK);
        long listLength = ((cdb[5] & 0xFFL) << 24) | ((cdb[6] & 0xFF) << 16) | ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF);
        PrOutParameters p;
        if (a == PrOutAction.REGISTER_AND_MOVE) {
            p = PrOutParameters.registerAndMove(params, listLength);
        } else {
            p = PrOutParameters.basic(params, listLength);
        }
        if (p == null) {
            return PrAnswer.parameterListLengthError();
        }
        Snapshot before = snapshot();
        PrAnswer answer = new PrOutProcessor(this, nexus, cdb, p).run(a);
        if (answer.status() == ScsiStatus.GOOD) {
            PrAnswer failed = persist(before);
            if (failed != null) {
                return failed;
            }
        }
        return answer;
    }

    // ---- SPC-2 RESERVE / RELEASE --------------------------------------------------------

    /** RESERVE(6) or RESERVE(10) (SPC-2 7.21, 7.22) of the whole logical unit. */
    public synchronized PrAnswer reserveSpc2(ItNexus nexus, byte[] cdb) {
        SenseData bad = ReservationCommand.validate(cdb);
        if (bad != null) {
            return PrAnswer.check(bad);
        }
        if (!registrations.isEmpty()) {
            // SPC-4 5.13.3 with CRH=1: the persistent reservation holder's RESERVE succeeds without effect.
            return isHolder(nexus) ? PrAnswer.good() : PrAnswer.conflict();
        }
        if (spc2Holder != null && !spc2Holder.equals(nexus)) {
            return PrAnswer.conflict();
        }
        spc2Holder = nexus;
        return PrAnswer.good();
    }

    /** RELEASE(6) or RELEASE(10): releases the nexus's own SPC-2 reservation; from anyone else, GOOD without effect. */
    public synchronized PrAnswer releaseSpc2(ItNexus nexus, byte[] cdb) {
        SenseData bad = ReservationCommand.validate(cdb);
        if (bad != null) {
            return PrAnswer.check(bad);
        }
        if (!registrations.isEmpty()) {
            // SPC-4 5.13.3 with CRH=1: a registered nexus's RELEASE succeeds without effect.
            return registered(nexus) ? PrAnswer.good() : PrAnswer.conflict();
        }
        if (nexus.equals(spc2Holder)) {
            spc2Holder = null;
        }
        return PrAnswer.good();
    }

    /** I_T nexus loss (logout, connection drop, session reinstatement) releases its SPC-2 reservation (SPC-2 5.5.1). */
    public synchronized void nexusLost(ItNexus nexus) {
        if (nexus.equals(spc2Holder)) {
            spc2Holder = null;
        }
    }

    /** A logical unit reset releases the SPC-2 reservation; persistent reservations survive it (SPC-4 5.13.1). */
    public synchronized void logicalUnitReset() {
        spc2Holder = null;
    }

    /** The SPC-2 reservation holder, or null. */
    public synchronized ItNexus spc2Holder() {
        return spc2Holder;
    }

    public synchronized boolean aptpl() {
        return aptpl;
    }

    public synchronized int generation() {
        return generation;
    }

    // ---- state changes used by PrOutProcessor -------------------------------------------

    void bumpGeneration() {
        generation++;
    }

    /** Removes {@code n}'s registration; its reservation goes too unless others still hold an all-registrants one. */
    void unregister(ItNexus n, List<PrAnswer.Effect> effects) {
        registrations.remove(n);
        if (reservation == null) {
            return;
        }
        if (reservation.type().allRegistrants()) {
            if (registrations.isEmpty()) {
                reservation = null; // the last holder left (SPC-4 5.13.10)
            } else if (reservation.holder().equals(n)) {
                reservation = new Reservation(registrations.keySet().iterator().next(), reservation.type());
            }
        } else if (reservation.holder().equals(n)) {
            PrType t = reservation.type();
            reservation = null;
            if (t.registrantsAccess()) {
                // SPC-4 5.13.11.2.3: the RO holder unregistered; the registrants lose their access.
                for (ItNexus other : registrations.keySet()) {
                    effects.add(new PrAnswer.UnitAttention(other, AdditionalSense.RESERVATIONS_RELEASED));
                }
            }
        }
    }

    // ---- persistence --------------------------------------------------------------------

    private record Snapshot(Map<ItNexus, Registration> registrations, Reservation reservation, int generation, boolean aptpl) {}

    private Snapshot snapshot() {
        return new Snapshot(new LinkedHashMap<>(registrations), reservation, generation, aptpl);
    }

    /** Saves (APTPL=1) or removes (APTPL=0) the state file; on failure rolls back and answers the error. */
    private PrAnswer persist(Snapshot before) {
        try {
            if (aptpl) {
                store.save(lunId, toSnapshot());
            } else if (before.aptpl()) {
                store.delete(lunId);
            }
            return null;
        } catch (IOException e) {
            LOG.error("{}: cannot write the persistent reservation state: {}", lunId, e.toString());
            registrations.clear();
            registrations.putAll(before.registrations());
            reservation = before.reservation();
            generation = before.generation();
            aptpl = before.aptpl();
            return PrAnswer.check(SenseData.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
        }
    }

    PrSnapshot toSnapshot() {
        List<PrSnapshot.SavedRegistration> regs = new ArrayList<>();
        registrations.forEach((n, r) -> regs.add(new PrSnapshot.SavedRegistration(n.initiatorPortName(), n.targetPortName(),
                r.key(), r.allTargetPorts())));
        PrSnapshot.SavedReservation res = reservation == null ? null
                : new PrSnapshot.SavedReservation(reservation.holder().initiatorPortName(), reservation.holder().targetPortName(),
                reservation.type().code());
        return new PrSnapshot(PrSnapshot.VERSION, Integer.toUnsignedLong(generation), regs, res);
    }

    private void restore(PrSnapshot s) throws IOException {
        for (PrSnapshot.SavedRegistration r : s.registrations()) {
            registrations.put(new ItNexus(r.initiatorPort(), r.targetPort()), new Registration(r.key(), r.allTargetPorts()));
        }
        if (s.reservation() != null) {
            PrType t = PrType.of(s.reservation().type());
            ItNexus holder = new ItNexus(s.reservation().initiatorPort(), s.reservation().targetPort());
            if (t == null || !registrations.containsKey(holder)) {
                throw new IOException(lunId + ": the saved reservation names an unknown type or an unregistered holder");
            }
            reservation = new Reservation(holder, t);
        }
        generation = (int) s.generation();
    }
}
