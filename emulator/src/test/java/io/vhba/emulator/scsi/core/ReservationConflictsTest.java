package io.vhba.emulator.scsi.core;

import static io.vhba.emulator.scsi.core.PrRig.assertConflict;
import static io.vhba.emulator.scsi.core.PrRig.assertGood;
import static io.vhba.emulator.scsi.core.PrRig.bytes;
import static io.vhba.emulator.scsi.core.PrRig.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.scsi.core.reservation.DirectoryPrStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reservation conflicts for other commands (SPC-4 5.13.1 table 63, SBC-4 table 13), SPC-2
 * RESERVE / RELEASE and its exclusion with persistent reservations (SPC-4 5.13.3), APTPL across
 * a restart, and REPORT SUPPORTED OPERATION CODES for the core's commands.
 */
class ReservationConflictsTest {
    private static final long KA = 0xAAL;
    private static final long KB = 0xBBL;
    private final PrRig rig = new PrRig();

    /**
     * For each type: can a registered non-holder read / write, can an unregistered one
     * (the access matrix libiscsi's ProutReserve.Access* tests check, from SPC-4 table 63).
     */
    @ParameterizedTest(name = "type {0}")
    @CsvSource({
            "1, true, false, true, false",
            "3, false, false, false, false",
            "5, true, true, true, false",
            "6, true, true, false, false",
            "7, true, true, true, false",
            "8, true, true, false, false"})
    void theHolderHasFullAccessAndOthersWhatTheTypeAllows(int type, boolean regRead, boolean regWrite,
                                                          boolean unregRead, boolean unregWrite) {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.a, 1, type, KA, 0, 0));
        assertThat(rig.reachesDevice(rig.a, PrRig.READ10_0)).isTrue();
        assertThat(rig.reachesDevice(rig.a, PrRig.WRITE10_0)).isTrue();
        assertThat(rig.reachesDevice(rig.b, PrRig.READ10_0)).as("registered read").isEqualTo(regRead);
        assertThat(rig.reachesDevice(rig.b, PrRig.WRITE10_0)).as("registered write").isEqualTo(regWrite);
        assertThat(rig.reachesDevice(rig.c, PrRig.READ10_0)).as("unregistered read").isEqualTo(unregRead);
        assertThat(rig.reachesDevice(rig.c, PrRig.WRITE10_0)).as("unregistered write").isEqualTo(unregWrite);
        // Never in conflict: TEST UNIT READY, INQUIRY, READ CAPACITY(10), REPORT LUNS.
        assertThat(rig.reachesDevice(rig.c, PrRig.TUR)).isTrue();
        assertThat(rig.reachesDevice(rig.c, bytes(0x12, 0, 0, 0, 0, 0))).isTrue();
        assertConflict(rig.run(rig.c, bytes(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0), null)); // SYNCHRONIZE CACHE(10) writes
    }

    @Test
    void aConflictIsStatus18WithoutSense() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.a, 1, 3, KA, 0, 0));
        CommandOutcome o = rig.run(rig.b, PrRig.WRITE10_0, null);
        assertConflict(o);
        assertThat(o.dataIn()).isNull();
    }

    // ---- SPC-2 RESERVE / RELEASE ------------------------------------------------------

    @Test
    void reserve6KeepsEveryOtherNexusOutUntilReleased() {
        byte[] reserve6 = bytes(0x16, 0, 0, 0, 0, 0);
        byte[] release6 = bytes(0x17, 0, 0, 0, 0, 0);
        assertGood(rig.run(rig.a, reserve6, null));
        assertGood(rig.run(rig.a, reserve6, null)); // again, same nexus
        assertConflict(rig.run(rig.b, reserve6, null));
        assertConflict(rig.run(rig.b, bytes(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0), null)); // RESERVE(10)
        assertConflict(rig.run(rig.b, PrRig.TUR, null));
        assertConflict(rig.run(rig.b, PrRig.READ10_0, null));
        assertConflict(rig.prIn(rig.b, 0, 100));
        assertConflict(rig.prIn(rig.a, 0, 100)); // SPC-4 5.13.3: no PR commands while it lasts
        assertThat(rig.reachesDevice(rig.b, bytes(0x12, 0, 0, 0, 0, 0))).as("INQUIRY").isTrue();
        assertGood(rig.run(rig.b, release6, null)); // not the holder: GOOD, no effect
        assertConflict(rig.run(rig.b, reserve6, null));
        assertThat(rig.reachesDevice(rig.a, PrRig.WRITE10_0)).isTrue();
        assertGood(rig.run(rig.a, bytes(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0), null)); // RELEASE(10)
        assertGood(rig.run(rig.b, reserve6, null));
    }

    @Test
    void nexusLossAndLogicalUnitResetReleaseTheSpc2Reservation() {
        byte[] reserve6 = bytes(0x16, 0, 0, 0, 0, 0);
        assertGood(rig.run(rig.a, reserve6, null));
        rig.core.nexusLeft(rig.target, rig.a);
        assertGood(rig.run(rig.b, reserve6, null));
        rig.core.logicalUnitReset(rig.target, rig.lun, rig.b);
        assertThat(rig.core.reservations(rig.target, rig.lun).spc2Holder()).isNull();
        PrRig.assertSense(rig.run(rig.c, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x29, 0x03, 0, 0, 0, 0);
        assertGood(rig.run(rig.c, reserve6, null));
    }

    @Test
    void reserve6ConflictsWithRegistrationsExceptForThePersistentReservationHolder() {
        byte[] reserve6 = bytes(0x16, 0, 0, 0, 0, 0);
        assertGood(rig.register(rig.a, KA));
        assertConflict(rig.run(rig.b, reserve6, null));
        assertConflict(rig.run(rig.b, bytes(0x17, 0, 0, 0, 0, 0), null)); // RELEASE from an unregistered nexus
        assertGood(rig.run(rig.a, bytes(0x17, 0, 0, 0, 0, 0), null));
        assertConflict(rig.run(rig.a, reserve6, null)); // registered, but no reservation to hold
        assertGood(rig.prOut(rig.a, 1, 1, KA, 0, 0));
        assertGood(rig.run(rig.a, reserve6, null)); // CRH=1: the holder's RESERVE succeeds without effect
        assertThat(rig.core.reservations(rig.target, rig.lun).spc2Holder()).isNull();
    }

    @Test
    void reserve10WithThirdPartyIsAnInvalidFieldInCdb() {
        PrRig.assertSense(rig.run(rig.a, bytes(0x56, 0x10, 0, 0, 0, 0, 0, 0, 0, 0), null),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCC, 0x00, 0x01);
    }

    // ---- APTPL ------------------------------------------------------------------------

    @Test
    void aptplStateSurvivesANewCoreOverTheSameDirectoryAndAptpl0RemovesIt(@TempDir Path dir) {
        DirectoryPrStore store = new DirectoryPrStore(dir);
        PrRig first = new PrRig(store);
        assertThat(data(first.prIn(first.a, 2, 8))).containsExactly(bytes(0x00, 0x08, 0x15, 0x80, 0xEA, 0x01, 0x00, 0x00));
        assertGood(first.prOut(first.a, 6, 0, 0, KA, 0x01));
        assertGood(first.prOut(first.b, 6, 0, 0, KB, 0x00)); // APTPL is per LU: the last value wins
        assertGood(first.prOut(first.a, 6, 0, 0, KA, 0x01));
        assertGood(first.prOut(first.a, 1, 5, KA, 0, 0));
        Path file = store.file("iqn.2026-11.test:t/lun/0");
        assertThat(file).exists();
        assertThat(dir.toFile().list()).as("no temporary file left").containsExactly(file.getFileName().toString());

        PrRig second = new PrRig(store);
        assertThat(data(second.prIn(second.c, 0, 100))).containsExactly(ByteBuffer.allocate(24).putInt(3).putInt(16)
                .putLong(KA).putLong(KB).array());
        assertThat(data(second.prIn(second.c, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(3).putInt(16)
                .putLong(KA).putInt(0).put((byte) 0).put((byte) 5).putShort((short) 0).array());
        assertThat(data(second.prIn(second.c, 2, 8))[3]).as("PTPL_A").isEqualTo((byte) 0x81);
        assertThat(second.reachesDevice(second.b, PrRig.WRITE10_0)).as("b is still a registrant").isTrue();
        assertConflict(second.run(second.c, PrRig.WRITE10_0, null));

        assertGood(second.prOut(second.a, 0, 0, KA, KA, 0x00)); // re-register with APTPL=0
        assertThat(file).doesNotExist();
        PrRig third = new PrRig(store);
        assertThat(data(third.prIn(third.c, 0, 100))).containsExactly(bytes(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aCorruptStateFileIsReportedAtLoad(@TempDir Path dir) throws Exception {
        DirectoryPrStore store = new DirectoryPrStore(dir);
        Files.writeString(store.file("iqn.2026-11.test:t/lun/0"), "{ not json");
        PrRig rig2 = new PrRig(store);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rig2.core.loadReservations(rig2.target))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("LUN 0");
    }

    // ---- REPORT SUPPORTED OPERATION CODES ---------------------------------------------

    @Test
    void oneCommandFormForACoreCommandIsAnsweredByTheCore() {
        CommandOutcome o = rig.run(rig.a, bytes(0xA3, 0x0C, 0x82, 0x5F, 0x00, 0x05, 0, 0, 1, 0, 0, 0), null);
        assertThat(data(o)).containsExactly(bytes(0x00, 0x83, 0x00, 0x0A,
                0x5F, 0x05, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
                0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0A));
        assertThat(data(rig.run(rig.a, bytes(0xA3, 0x0C, 0x01, 0x16, 0, 0, 0, 0, 1, 0, 0, 0), null)))
                .containsExactly(bytes(0x00, 0x03, 0x00, 0x06, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00));
        assertThat(data(rig.run(rig.a, bytes(0xA3, 0x0C, 0x02, 0x5E, 0x00, 0x04, 0, 0, 1, 0, 0, 0), null)))
                .as("an unknown service action").containsExactly(bytes(0x00, 0x01, 0x00, 0x00));
        PrRig.assertSense(rig.run(rig.a, bytes(0xA3, 0x0C, 0x01, 0x5E, 0, 0, 0, 0, 1, 0, 0, 0), null),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCA, 0x00, 0x02);
    }

    @Test
    void theAllCommandsListGetsTheCoreCommandsMergedInOrder() {
        // A device list with TEST UNIT READY (0x00) and READ(16) (0x88), no timeouts.
        HostBuffer buf = PrRig.MEMORY.allocate(SupportedOpcodes.ALL_COMMANDS_ROOM);
        byte[] device = bytes(0, 0, 0, 16, 0x00, 0, 0, 0, 0, 0, 0, 6, 0x88, 0, 0, 0, 0, 0, 0, 16);
        buf.put(0, device, 0, device.length);
        int n = SupportedOpcodes.mergeAllCommands(buf, device.length, bytes(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0));
        // 16 reservation commands, and REPORT TARGET PORT GROUPS / REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS
        assertThat(n).isEqualTo(4 + 20 * 8);
        byte[] out = new byte[n];
        buf.get(0, out, 0, n);
        buf.release();
        assertThat(out).startsWith(bytes(0, 0, 0, 20 * 8, 0x00, 0, 0, 0, 0, 0, 0, 6, 0x16, 0, 0, 0, 0, 0, 0, 6,
                0x17, 0, 0, 0, 0, 0, 0, 6, 0x56, 0, 0, 0, 0, 0, 0, 10));
        int[] order = new int[20];
        for (int i = 0; i < 20; i++) {
            order[i] = (out[4 + 8 * i] & 0xFF) << 8 | (out[4 + 8 * i + 3] & 0xFF);
        }
        assertThat(order).containsExactly(0x0000, 0x1600, 0x1700, 0x5600, 0x5700, 0x5E00, 0x5E01, 0x5E02, 0x5E03,
                0x5F00, 0x5F01, 0x5F02, 0x5F03, 0x5F04, 0x5F05, 0x5F06, 0x5F07, 0x8800, 0xA30A, 0xA30D);
        assertThat(out[4 + 8 * 5 + 5]).as("PR IN: SERVACTV").isEqualTo((byte) 0x01);
    }
}
