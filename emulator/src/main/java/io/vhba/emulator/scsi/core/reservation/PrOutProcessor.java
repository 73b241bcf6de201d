package io.vhba.emulator.scsi.core.reservation;

import io.vhba.emulator.scsi.core.ItNexus;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One PERSISTENT RESERVE OUT service action applied to a logical unit's state (SPC-4 5.13.7 to
 * 5.13.11, 6.16). Runs under the {@link LunReservations} lock; the caller persists the result.
 */
final class PrOutProcessor {
    private static final int SCOPE_LU = 0;

    private final LunReservations s;
    private final ItNexus nexus;
    private final byte[] cdb;
    private final PrOutParameters p;
    private final List<PrAnswer.Effect> effects = new ArrayList<>();

    PrOutProcessor(LunReservations s, ItNexus nexus, byte[] cdb, PrOutParameters p) {
        this.s = s;
        this.nexus = nexus;
        this.cdb = cdb;
        this.p = p;
    }

    PrAnswer run(PrOutAction a) {
        return switch (a) {
            case REGISTER -> register(false);
            case REGISTER_AND_IGNORE_EXISTING_KEY -> register(true);
            case RESERVE -> reserve();
            case RELEASE -> release();
            case CLEAR -> clear();
            case PREEMPT -> preempt(false);
            case PREEMPT_AND_ABORT -> preempt(true);
            case REGISTER_AND_MOVE -> registerAndMove();
        };
    }

    private int scope() {
        return (cdb[2] >> 4) & 0x0F;
    }

    /** SCOPE must be LU_SCOPE and TYPE a defined type (SPC-4 6.16.2): else INVALID FIELD IN CDB. */
    private PrAnswer badScopeOrType() {
        if (scope() != SCOPE_LU) {
            return PrAnswer.check(SenseData.invalidFieldInCdb(2, 7));
        }
        if (PrType.of(cdb[2] & 0x0F) == null) {
            return PrAnswer.check(SenseData.invalidFieldInCdb(2, 3));
        }
        return null;
    }

    private PrType type() {
        return PrType.of(cdb[2] & 0x0F);
    }

    /** The nexus must be registered with RESERVATION KEY as its key, else RESERVATION CONFLICT (SPC-4 5.13.11.1). */
    private boolean keyMismatch() {
        LunReservations.Registration r = s.registrations.get(nexus);
        return r == null || r.key() != p.reservationKey();
    }

    /** APTPL=1 needs a place to persist: without one, PTPL_C is 0 and APTPL=1 is an invalid field (SPC-4 6.16.3). */
    private PrAnswer aptplUnsupported(int flagsOffset) {
        if (p.aptpl() && !s.canPersist()) {
            return PrAnswer.check(SenseData.invalidFieldInParameterList(flagsOffset, 0));
        }
        return null;
    }

    // ---- REGISTER, REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7) -------------------

    private PrAnswer register(boolean ignoreExisting) {
        if (p.specIPt()) {
            // REPORT CAPABILITIES says SIP_C=0.
            return PrAnswer.check(SenseData.invalidFieldInParameterList(PrOutParameters.FLAGS, 3));
        }
        LunReservations.Registration r = s.registrations.get(nexus);
        if (!ignoreExisting) {
            long expected = r == null ? 0 : r.key();
            if (p.reservationKey() != expected) {
                return PrAnswer.conflict();
            }
        }
        if (p.serviceActionKey() == 0) {
            if (r == null) {
                return PrAnswer.good(); // nothing to register or remove; PRgeneration unchanged
            }
            s.unregister(nexus, effects);
            s.bumpGeneration();
            return PrAnswer.good(effects);
        }
        PrAnswer bad = aptplUnsupported(PrOutParameters.FLAGS);
        if (bad != null) {
            return bad;
        }
        s.registrations.put(nexus, new LunReservations.Registration(p.serviceActionKey(),
                r == null ? p.allTgPt() : r.allTargetPorts()));
        s.aptpl = p.aptpl();
        s.bumpGeneration();
        return PrAnswer.good();
    }

    // ---- RESERVE (SPC-4 5.13.9) -----------------------------------------------------

    private PrAnswer reserve() {
        PrAnswer bad = badScopeOrType();
        if (bad != null) {
            return bad;
        }
        if (keyMismatch()) {
            return PrAnswer.conflict();
        }
        LunReservations.Reservation res = s.reservation;
        if (res != null) {
            // The holder may repeat its own reservation; anything else conflicts.
            return s.isHolder(nexus) && res.type() == type() ? PrAnswer.good() : PrAnswer.conflict();
        }
        s.reservation = new LunReservations.Reservation(nexus, type());
        return PrAnswer.good();
    }

    // ---- RELEASE (SPC-4 5.13.11.2) --------------------------------------------------

    private PrAnswer release() {
        if (scope() != SCOPE_LU) {
            return PrAnswer.check(SenseData.invalidFieldInCdb(2, 7));
        }
        if (keyMismatch()) {
            return PrAnswer.conflict();
        }
        LunReservations.Reservation res = s.reservation;
        if (res == null || !s.isHolder(nexus)) {
            return PrAnswer.good(); // nothing of this nexus to release
        }
        if (res.type() != type()) {
            return PrAnswer.check(SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_RELEASE_OF_PERSISTENT_RESERVATION));
        }
        s.reservation = null;
        if (res.type().registrantsAccess()) {
            // RO and AR types: every other registrant loses access it had (SPC-4 5.13.11.2.2).
            for (ItNexus other : s.registrations.keySet()) {
                if (!other.equals(nexus)) {
                    effects.add(new PrAnswer.UnitAttention(other, AdditionalSense.RESERVATIONS_RELEASED));
                }
            }
        }
        return PrAnswer.good(effects);
    }

    // ---- CLEAR (SPC-4 5.13.11.3) ----------------------------------------------------

    private PrAnswer clear() {
        if (keyMismatch()) {
            return PrAnswer.conflict();
        }
        for (ItNexus other : s.registrations.keySet()) {
            if (!other.equals(nexus)) {
                effects.add(new PrAnswer.UnitAttention(other, AdditionalSense.RESERVATIONS_PREEMPTED));
            }
        }
        s.registrations.clear();
        s.reservation = null;
        s.bumpGeneration();
        return PrAnswer.good(effects);
    }

    // ---- PREEMPT, PREEMPT AND ABORT (SPC-4 5.13.11.4) ------------------------------

    private PrAnswer preempt(boolean abort) {
        PrAnswer bad = badScopeOrType();
        if (bad != null) {
            return bad;
        }
        if (keyMismatch()) {
            return PrAnswer.conflict();
        }
        long victimKey = p.serviceActionKey();
        LunReservations.Reservation res = s.reservation;
        List<ItNexus> removed;
        if (res == null) {
            // No reservation: remove the registrations with the key (SPC-4 5.13.11.4.2).
            if (victimKey == 0) {
                return PrAnswer.check(SenseData.invalidFieldInParameterList(8, -1));
            }
            removed = removeKey(victimKey, false);
            if (removed.isEmpty()) {
                return PrAnswer.conflict();
            }
        } else if (res.type().allRegistrants()) {
            // SPC-4 5.13.11.4.4: key 0 preempts every other registrant and takes a new reservation.
            if (victimKey == 0) {
                removed = removeKey(0, true);
                s.reservation = new LunReservations.Reservation(nexus, type());
            } else {
                removed = removeKey(victimKey, false);
                if (removed.isEmpty()) {
                    return PrAnswer.conflict();
                }
            }
        } else if (s.registrations.get(res.holder()).key() == victimKey) {
            // SPC-4 5.13.11.4.3: preempting the holder moves the reservation to this nexus.
            removed = removeKey(victimKey, false);
            s.reservation = new LunReservations.Reservation(nexus, type());
            if (res.type() != type()) {
                for (ItNexus other : s.registrations.keySet()) {
                    if (!other.equals(nexus)) {
                        effects.add(new PrAnswer.UnitAttention(other, AdditionalSense.RESERVATIONS_RELEASED));
                    }
                }
            }
        } else {
            if (victimKey == 0) {
                return PrAnswer.check(SenseData.invalidFieldInParameterList(8, -1));
            }
            removed = removeKey(victimKey, false);
            if (removed.isEmpty()) {
                return PrAnswer.conflict();
            }
        }
        for (ItNexus n : removed) {
            effects.add(new PrAnswer.UnitAttention(n, AdditionalSense.REGISTRATIONS_PREEMPTED));
            if (abort) {
                effects.add(new PrAnswer.AbortTasks(n));
            }
        }
        s.bumpGeneration();
        return PrAnswer.good(effects);
    }

    /** Removes the registrations with {@code key} (every other one when {@code all}), never this nexus's own. */
    private List<ItNexus> removeKey(long key, boolean all) {
        List<ItNexus> removed = new ArrayList<>();
        for (Map.Entry<ItNexus, LunReservations.Registration> e : s.registrations.entrySet()) {
            if (!e.getKey().equals(nexus) && (all || e.getValue().key() == key)) {
                removed.add(e.getKey());
            }
        }
        removed.forEach(s.registrations::remove);
        return removed;
    }

    // ---- REGISTER AND MOVE (SPC-4 5.13.8) -------------------------------------------

    private PrAnswer registerAndMove() {
        if (keyMismatch()) {
            return PrAnswer.conflict();
        }
        LunReservations.Reservation res = s.reservation;
        if (res == null || res.type().allRegistrants() || !s.isHolder(nexus)) {
            return PrAnswer.conflict();
        }
        if (p.serviceActionKey() == 0) {
            return PrAnswer.check(SenseData.invalidFieldInParameterList(8, -1));
        }
        if (p.relativeTargetPortId() != s.relativeTargetPortId()) {
            return PrAnswer.check(SenseData.invalidFieldInParameterList(PrOutParameters.MOVE_RELATIVE_TARGET_PORT, -1));
        }
        String port;
        try {
            int length = p.transportIdLength() < 4 ? p.transportIdLength()
                    : Math.min(p.transportIdLength(), TransportId.length(p.params(), PrOutParameters.MOVE_TRANSPORT_ID));
            port = TransportId.decodePort(p.params(), PrOutParameters.MOVE_TRANSPORT_ID, length);
        } catch (TransportId.Invalid e) {
            return PrAnswer.check(SenseData.invalidFieldInParameterList(PrOutParameters.MOVE_TRANSPORT_ID + e.offset(), -1));
        }
        ItNexus destination = new ItNexus(port, nexus.targetPortName());
        if (destination.equals(nexus)) {
            return PrAnswer.check(SenseData.invalidFieldInParameterList(PrOutParameters.MOVE_TRANSPORT_ID, -1));
        }
        PrAnswer bad = aptplUnsupported(PrOutParameters.MOVE_FLAGS);
        if (bad != null) {
            return bad;
        }
        LunReservations.Registration old = s.registrations.get(destination);
        s.registrations.put(destination, new LunReservations.Registration(p.serviceActionKey(),
                old != null && old.allTargetPorts()));
        s.reservation = new LunReservations.Reservation(destination, res.type());
        if (p.unreg()) {
            s.registrations.remove(nexus);
        }
        s.aptpl = p.aptpl();
        s.bumpGeneration();
        return PrAnswer.good();
    }
}
