package io.vhba.emulator.scsi.core.reservation;

import io.vhba.emulator.scsi.core.ItNexus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/** The parameter data of each PERSISTENT RESERVE IN service action (SPC-4 6.15.2 to 6.15.5). */
final class PrInData {
    /** REPORT CAPABILITIES byte 2 (SPC-4 table 164): CRH (5.13.3 handling) and ATP_C; SIP_C is 0. */
    private static final int CRH = 0x10;
    private static final int ATP_C = 0x04;
    private static final int PTPL_C = 0x01;
    /** Byte 3: TMV, ALLOW COMMANDS 000b (no information), PTPL_A. */
    private static final int TMV = 0x80;
    private static final int PTPL_A = 0x01;

    private PrInData() {}

    /** READ KEYS (SPC-4 6.15.2): PRgeneration and every registered key. */
    static byte[] readKeys(LunReservations s) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * s.registrations.size());
        b.putInt(s.generation).putInt(8 * s.registrations.size());
        for (LunReservations.Registration r : s.registrations.values()) {
            b.putLong(r.key());
        }
        return b.array();
    }

    /**
     * READ RESERVATION (SPC-4 6.15.3): the holder's key (0 for the all-registrants types,
     * SPC-4 6.15.3.3), SCOPE and TYPE.
     */
    static byte[] readReservation(LunReservations s) {
        LunReservations.Reservation res = s.reservation;
        ByteBuffer b = ByteBuffer.allocate(res == null ? 8 : 24);
        b.putInt(s.generation).putInt(res == null ? 0 : 16);
        if (res != null) {
            b.putLong(res.type().allRegistrants() ? 0 : s.registrations.get(res.holder()).key());
            b.putInt(0);       // obsolete
            b.put((byte) 0);   // reserved
            b.put((byte) res.type().code()); // SCOPE 0h (LU_SCOPE), TYPE
        }
        return b.array();
    }

    /** REPORT CAPABILITIES (SPC-4 6.15.4): what this device server supports, and APTPL now. */
    static byte[] reportCapabilities(LunReservations s) {
        byte[] b = new byte[8];
        b[1] = 8;
        b[2] = (byte) (CRH | ATP_C | (s.canPersist() ? PTPL_C : 0));
        b[3] = (byte) (TMV | (s.aptpl ? PTPL_A : 0));
        int mask = 0;
        for (PrType t : PrType.values()) {
            mask |= 1 << t.code();
        }
        // PERSISTENT RESERVATION TYPE MASK: byte 4 bit n is type n (1..7), byte 5 bit 0 is type 8.
        b[4] = (byte) (mask & 0xFE);
        b[5] = (byte) (mask >> 8);
        return b;
    }

    /** READ FULL STATUS (SPC-4 6.15.5): one full status descriptor per registered I_T nexus. */
    static byte[] readFullStatus(LunReservations s) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        for (Map.Entry<ItNexus, LunReservations.Registration> e : s.registrations.entrySet()) {
            byte[] tid = TransportId.encodePort(e.getKey().initiatorPortName());
            ByteBuffer b = ByteBuffer.allocate(24 + tid.length);
            b.putLong(e.getValue().key());
            b.putInt(0);
            boolean holder = s.isHolder(e.getKey());
            b.put((byte) ((e.getValue().allTargetPorts() ? 0x02 : 0) | (holder ? 0x01 : 0)));
            b.put((byte) (holder ? s.reservation.type().code() : 0)); // SCOPE LU_SCOPE, TYPE
            b.putInt(0);
            b.putShort((short) s.relativeTargetPortId());
            b.putInt(tid.length);
            b.put(tid);
            d.writeBytes(b.array());
        }
        byte[] body = d.toByteArray();
        return ByteBuffer.allocate(8 + body.length).putInt(s.generation).putInt(body.length).put(body).array();
    }
}
