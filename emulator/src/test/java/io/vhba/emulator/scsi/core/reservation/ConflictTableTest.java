package io.vhba.emulator.scsi.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The declarative conflict table (SPC-4 table 63, SBC-4 table 13) and the access classes' columns. */
class ConflictTableTest {

    private static byte[] cdb(int... b) {
        byte[] c = new byte[Math.max(b.length, 10)];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    @Test
    void commandsAreClassifiedByOpcodeServiceActionAndField() {
        assertThat(ConflictTable.classify(cdb(0x12))).isEqualTo(AccessClass.ALWAYS);             // INQUIRY
        assertThat(ConflictTable.classify(cdb(0x00))).isEqualTo(AccessClass.PERSISTENT_ALLOWED); // TEST UNIT READY
        assertThat(ConflictTable.classify(cdb(0x88))).isEqualTo(AccessClass.READ);               // READ(16)
        assertThat(ConflictTable.classify(cdb(0x8A))).isEqualTo(AccessClass.WRITE);              // WRITE(16)
        assertThat(ConflictTable.classify(cdb(0x9E, 0x10))).isEqualTo(AccessClass.PERSISTENT_ALLOWED); // READ CAPACITY(16)
        assertThat(ConflictTable.classify(cdb(0x9E, 0x12))).isEqualTo(AccessClass.READ);         // GET LBA STATUS
        assertThat(ConflictTable.classify(cdb(0xA3, 0x0A))).isEqualTo(AccessClass.ALWAYS);       // REPORT TARGET PORT GROUPS
        assertThat(ConflictTable.classify(cdb(0x1E, 0, 0, 0, 0))).isEqualTo(AccessClass.ALWAYS); // PREVENT 00b
        assertThat(ConflictTable.classify(cdb(0x1E, 0, 0, 0, 1))).isEqualTo(AccessClass.WRITE);  // PREVENT 01b
        assertThat(ConflictTable.classify(cdb(0xC0))).as("unknown: never leaks access").isEqualTo(AccessClass.WRITE);
    }

    @Test
    void eachClassConflictsAsTheTypeSays() {
        for (PrType t : PrType.values()) {
            assertThat(AccessClass.ALWAYS.conflicts(t, false)).isFalse();
            assertThat(AccessClass.PERSISTENT_ALLOWED.conflicts(t, false)).isFalse();
            assertThat(AccessClass.READ.conflicts(t, false)).isEqualTo(t.exclusiveAccess());
            assertThat(AccessClass.READ.conflicts(t, true)).isEqualTo(t.exclusiveAccess() && !t.registrantsAccess());
            assertThat(AccessClass.WRITE.conflicts(t, false)).isTrue();
            assertThat(AccessClass.WRITE.conflicts(t, true)).isEqualTo(!t.registrantsAccess());
        }
        assertThat(AccessClass.ALWAYS.conflictsWithSpc2()).isFalse();
        assertThat(AccessClass.PERSISTENT_ALLOWED.conflictsWithSpc2()).isTrue();
    }

    @Test
    void transportIdsRoundTripAndRejectOtherProtocols() throws Exception {
        byte[] t = TransportId.encodePort("iqn.x:y,i,0x00023d000001");
        assertThat(t).as("24 characters and the null, padded to 28").hasSize(4 + 28);
        assertThat(t[3]).isEqualTo((byte) 28);
        assertThat(TransportId.decodePort(t, 0, t.length)).isEqualTo("iqn.x:y,i,0x00023d000001");
        t[0] = 0x41; // FC
        try {
            TransportId.decodePort(t, 0, t.length);
            throw new AssertionError("accepted a Fibre Channel TransportID");
        } catch (TransportId.Invalid e) {
            assertThat(e.offset()).isZero();
        }
    }
}
