package io.vhba.emulator.scsi.core;

import static io.vhba.emulator.scsi.core.PrRig.assertConflict;
import static io.vhba.emulator.scsi.core.PrRig.assertGood;
import static io.vhba.emulator.scsi.core.PrRig.assertSense;
import static io.vhba.emulator.scsi.core.PrRig.bytes;
import static io.vhba.emulator.scsi.core.PrRig.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.scsi.core.reservation.TransportId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PERSISTENT RESERVE IN / OUT through the core, status and sense byte for byte (SPC-4 5.13, 6.15, 6.16). */
class PersistentReservationsTest {
    private final PrRig rig = new PrRig();

    private static final long KA = 0x1111_2222_3333_4444L;
    private static final long KB = 0x0B0B_0B0B_0B0B_0B0BL;
    private static final long KC = 0x0C0C_0C0C_0C0C_0C0CL;

    // ---- PR IN ------------------------------------------------------------------------

    @Test
    void reportCapabilitiesWithoutAStateDirectoryHasPtplC0() {
        assertThat(data(rig.prIn(rig.a, 2, 8))).containsExactly(bytes(0x00, 0x08, 0x14, 0x80, 0xEA, 0x01, 0x00, 0x00));
    }

    @Test
    void readKeysListsEveryKeyWithPrGenerationAndTruncatesToTheAllocationLength() {
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(bytes(0, 0, 0, 0, 0, 0, 0, 0));
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(ByteBuffer.allocate(24).putInt(2).putInt(16)
                .putLong(KA).putLong(KB).array());
        assertThat(data(rig.prIn(rig.a, 0, 12))).containsExactly(bytes(0, 0, 0, 2, 0, 0, 0, 16, 0x11, 0x11, 0x22, 0x22));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 0x1F})
    void anUnknownPrInServiceActionIsAnInvalidFieldInCdb(int sa) {
        assertSense(rig.prIn(rig.a, sa, 100), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCC, 0x00, 0x01);
    }

    @Test
    void aReservedCdbBitIsAnInvalidFieldInCdbWithItsPointer() {
        CommandOutcome o = rig.run(rig.a, bytes(0x5E, 0x20, 0, 0, 0, 0, 0, 0, 8, 0), null);
        assertSense(o, 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCD, 0x00, 0x01);
    }

    @Test
    void readReservationShowsTheHolderKeyAndTypeAndZeroForAllRegistrants() {
        assertThat(data(rig.prIn(rig.a, 1, 100))).containsExactly(bytes(0, 0, 0, 0, 0, 0, 0, 0));
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.a, 1, 0x05, KA, 0, 0));
        assertThat(data(rig.prIn(rig.b, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(1).putInt(16)
                .putLong(KA).putInt(0).put((byte) 0).put((byte) 0x05).putShort((short) 0).array());
        assertGood(rig.prOut(rig.a, 2, 0x05, KA, 0, 0));
        assertGood(rig.prOut(rig.a, 1, 0x08, KA, 0, 0));
        assertThat(data(rig.prIn(rig.b, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(1).putInt(16)
                .putLong(0).putInt(0).put((byte) 0).put((byte) 0x08).putShort((short) 0).array());
    }

    @Test
    void readFullStatusDescribesEachRegistrationWithItsIscsiTransportId() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.b, 0x06, 0, 0, KB, 0x04)); // ALL_TG_PT
        assertGood(rig.prOut(rig.a, 1, 0x01, KA, 0, 0));
        byte[] tidA = TransportId.encodePort("iqn.2026-11.test:a,i,0x23d000000001");
        byte[] tidB = TransportId.encodePort("iqn.2026-11.test:b,i,0x23d000000002");
        assertThat(tidA).hasSize(4 + 36);
        assertThat(tidA[0]).isEqualTo((byte) 0x45); // FORMAT CODE 01b, PROTOCOL IDENTIFIER iSCSI
        ByteBuffer expected = ByteBuffer.allocate(8 + 2 * 24 + tidA.length + tidB.length).putInt(2).putInt(2 * 24 + tidA.length + tidB.length);
        expected.putLong(KA).putInt(0).put((byte) 0x01).put((byte) 0x01).putInt(0).putShort((short) 1).putInt(tidA.length).put(tidA);
        expected.putLong(KB).putInt(0).put((byte) 0x02).put((byte) 0x00).putInt(0).putShort((short) 1).putInt(tidB.length).put(tidB);
        assertThat(data(rig.prIn(rig.c, 3, 1000))).containsExactly(expected.array());
    }

    // ---- REGISTER ---------------------------------------------------------------------

    @Test
    void registerChecksTheReservationKeyAndCountsPrGeneration() {
        assertConflict(rig.prOut(rig.a, 0, 0, KA, KB, 0)); // unregistered with a non-zero key
        assertGood(rig.prOut(rig.a, 0, 0, 0, 0, 0));       // nothing to do: PRgeneration stays 0
        assertThat(rig.core.reservations(rig.target, rig.lun).generation()).isZero();
        assertGood(rig.prOut(rig.a, 0, 0, 0, KA, 0));
        assertConflict(rig.prOut(rig.a, 0, 0, KB, KC, 0)); // wrong key
        assertGood(rig.prOut(rig.a, 0, 0, KA, KC, 0));     // key change
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(ByteBuffer.allocate(16).putInt(2).putInt(8).putLong(KC).array());
        assertGood(rig.prOut(rig.a, 0, 0, KC, 0, 0));      // unregister
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(bytes(0, 0, 0, 3, 0, 0, 0, 0));
    }

    @Test
    void registerAndIgnoreExistingKeyReplacesAnyKey() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.a, 6, 0, 0x999, KB, 0));
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(ByteBuffer.allocate(16).putInt(2).putInt(8).putLong(KB).array());
    }

    @Test
    void specIPtIsRefusedAsAdvertised() {
        assertSense(rig.prOut(rig.a, 0, 0, 0, KA, 0x08),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x8B, 0x00, 0x14);
    }

    @Test
    void aptplWithoutAStateDirectoryIsAnInvalidFieldInTheParameterList() {
        assertSense(rig.prOut(rig.a, 0, 0, 0, KA, 0x01),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x88, 0x00, 0x14);
        assertThat(data(rig.prIn(rig.a, 0, 100))).as("nothing registered").containsExactly(bytes(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 23, 25})
    void aBasicParameterListOtherThan24BytesIsAParameterListLengthError(int length) {
        CommandOutcome o = rig.run(rig.a, PrRig.prOutCdb(0, 0, length), new byte[length]);
        assertSense(o, 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x1A, 0, 0, 0, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x09, 0x1F})
    void anUnsupportedPrOutServiceActionIsAnInvalidFieldInCdb(int sa) {
        assertSense(rig.prOut(rig.a, sa, 0, 0, KA, 0), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCC, 0x00, 0x01);
    }

    // ---- RESERVE / RELEASE --------------------------------------------------------------

    @Test
    void reserveNeedsARegistrationAndAValidScopeAndType() {
        assertConflict(rig.prOut(rig.a, 1, 0x01, 0, 0, 0));
        assertGood(rig.register(rig.a, KA));
        assertConflict(rig.prOut(rig.a, 1, 0x01, KB, 0, 0)); // wrong key
        assertSense(rig.prOut(rig.a, 1, 0x11, KA, 0, 0), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCF, 0x00, 0x02);
        assertSense(rig.prOut(rig.a, 1, 0x02, KA, 0, 0), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0xCB, 0x00, 0x02);
        assertGood(rig.prOut(rig.a, 1, 0x03, KA, 0, 0));
        assertGood(rig.prOut(rig.a, 1, 0x03, KA, 0, 0)); // the holder may repeat it
        assertConflict(rig.prOut(rig.a, 1, 0x01, KA, 0, 0)); // but not change its type
        assertGood(rig.register(rig.b, KB));
        assertConflict(rig.prOut(rig.b, 1, 0x03, KB, 0, 0));
        assertThat(rig.core.reservations(rig.target, rig.lun).generation()).as("RESERVE leaves PRgeneration").isEqualTo(2);
    }

    @Test
    void releaseOfAnotherTypeIsAnInvalidReleaseAndANonHolderReleaseDoesNothing() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.a, 1, 0x01, KA, 0, 0));
        assertSense(rig.prOut(rig.a, 2, 0x03, KA, 0, 0), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0x04, 0, 0, 0, 0);
        assertGood(rig.prOut(rig.b, 2, 0x01, KB, 0, 0));
        assertThat(data(rig.prIn(rig.a, 1, 100))).hasSize(24);
        assertConflict(rig.prOut(rig.c, 2, 0x01, 0, 0, 0)); // unregistered
        assertGood(rig.prOut(rig.a, 2, 0x01, KA, 0, 0));
        assertThat(data(rig.prIn(rig.a, 1, 100))).hasSize(8);
        assertThat(rig.reachesDevice(rig.b, PrRig.TUR)).as("no unit attention for a WE release").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0x05, 0x06, 0x07, 0x08})
    void releasingAnRegistrantsReservationTellsTheOtherRegistrants(int type) {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.a, 1, type, KA, 0, 0));
        assertGood(rig.prOut(rig.a, 2, type, KA, 0, 0));
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x04, 0, 0, 0, 0);
        assertThat(rig.reachesDevice(rig.a, PrRig.TUR)).as("not the releasing nexus").isTrue();
        assertThat(rig.reachesDevice(rig.c, PrRig.TUR)).as("not an unregistered nexus").isTrue();
    }

    @Test
    void unregisteringTheRegistrantsOnlyHolderReleasesTheReservation() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.a, 1, 0x05, KA, 0, 0));
        assertGood(rig.prOut(rig.a, 0, 0, KA, 0, 0));
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x04, 0, 0, 0, 0);
        assertThat(data(rig.prIn(rig.b, 1, 100))).hasSize(8);
    }

    @Test
    void anAllRegistrantsReservationLastsUntilTheLastRegistrantLeaves() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.a, 1, 0x07, KA, 0, 0));
        assertGood(rig.prOut(rig.a, 0, 0, KA, 0, 0));
        assertThat(data(rig.prIn(rig.b, 1, 100))).hasSize(24);
        assertThat(rig.reachesDevice(rig.b, PrRig.WRITE10_0)).as("b holds it now").isTrue();
        assertGood(rig.prOut(rig.b, 0, 0, KB, 0, 0));
        assertThat(data(rig.prIn(rig.b, 1, 100))).hasSize(8);
    }

    // ---- CLEAR, PREEMPT ---------------------------------------------------------------

    @Test
    void clearRemovesEverythingAndTellsTheOthersTheirReservationsWerePreempted() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.b, 1, 0x03, KB, 0, 0));
        assertConflict(rig.prOut(rig.c, 3, 0, 0, 0, 0));
        assertGood(rig.prOut(rig.a, 3, 0, KA, 0, 0));
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(bytes(0, 0, 0, 3, 0, 0, 0, 0));
        assertThat(data(rig.prIn(rig.a, 1, 100))).containsExactly(bytes(0, 0, 0, 3, 0, 0, 0, 0));
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x03, 0, 0, 0, 0);
        assertThat(rig.reachesDevice(rig.a, PrRig.TUR)).isTrue();
        assertThat(rig.reachesDevice(rig.c, PrRig.TUR)).as("c was not registered").isTrue();
    }

    @Test
    void preemptWithoutAReservationRemovesTheRegistrationsOfTheKey() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.register(rig.c, KB));
        assertConflict(rig.prOut(rig.a, 4, 0x01, KA, KC, 0)); // no registration has that key
        assertSense(rig.prOut(rig.a, 4, 0x01, KA, 0, 0), 0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x80, 0x00, 0x08);
        assertGood(rig.prOut(rig.a, 4, 0x01, KA, KB, 0));
        assertThat(data(rig.prIn(rig.a, 0, 100))).containsExactly(ByteBuffer.allocate(16).putInt(4).putInt(8).putLong(KA).array());
        assertThat(data(rig.prIn(rig.a, 1, 100))).as("no reservation is created").hasSize(8);
        for (ItNexus n : List.of(rig.b, rig.c)) {
            assertSense(rig.run(n, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x05, 0, 0, 0, 0);
        }
    }

    @Test
    void preemptingTheHolderTakesTheReservationWithTheNewType() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.register(rig.c, KC));
        assertGood(rig.prOut(rig.b, 1, 0x01, KB, 0, 0));
        assertGood(rig.prOut(rig.a, 4, 0x03, KA, KB, 0));
        assertThat(data(rig.prIn(rig.a, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(4).putInt(16)
                .putLong(KA).putInt(0).put((byte) 0).put((byte) 0x03).putShort((short) 0).array());
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x05, 0, 0, 0, 0);
        assertSense(rig.run(rig.c, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x04, 0, 0, 0, 0);
        assertConflict(rig.run(rig.c, PrRig.READ10_0, null));
    }

    @Test
    void preemptOfAnAllRegistrantsReservationWithKeyZeroRemovesEveryOtherRegistrant() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.b, 1, 0x08, KB, 0, 0));
        assertGood(rig.prOut(rig.a, 4, 0x01, KA, 0, 0));
        assertThat(data(rig.prIn(rig.a, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(3).putInt(16)
                .putLong(KA).putInt(0).put((byte) 0).put((byte) 0x01).putShort((short) 0).array());
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x05, 0, 0, 0, 0);
    }

    @Test
    void preemptAndAbortAbortsThePreemptedNexusTasksBeforeCompleting() {
        List<ItNexus> aborted = new ArrayList<>();
        AtomicReference<Runnable> pending = new AtomicReference<>();
        rig.core.setTaskAborter((nexus, lun, done) -> {
            assertThat(lun).isSameAs(rig.lun);
            aborted.add(nexus);
            pending.set(done);
        });
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.register(rig.b, KB));
        assertGood(rig.prOut(rig.b, 1, 0x03, KB, 0, 0));
        CommandPlan p = rig.core.plan(new CommandRequest(rig.a, rig.target, 0, PrRig.prOutCdb(5, 0x03, 24), false, true, 24, 1));
        PreparedCommand pc = ((CommandPlan.Execute) p).command();
        pc.buffer().put(0, PrRig.params(KA, KB, 0), 0, 24);
        AtomicReference<CommandOutcome> out = new AtomicReference<>();
        pc.submit(out::set);
        assertThat(aborted).containsExactly(rig.b);
        assertThat(out.get()).as("not complete before the aborts end").isNull();
        pending.get().run();
        assertGood(out.get());
        assertSense(rig.run(rig.b, PrRig.TUR, null), 0x70, 0, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x05, 0, 0, 0, 0);
    }

    // ---- REGISTER AND MOVE ------------------------------------------------------------

    private CommandOutcome registerAndMove(ItNexus n, long key, long saKey, int flags, int rtpi, String destination) {
        byte[] tid = TransportId.encodePort(destination);
        byte[] p = ByteBuffer.allocate(24 + tid.length).putLong(key).putLong(saKey).put((byte) 0).put((byte) flags)
                .putShort((short) rtpi).putInt(tid.length).put(tid).array();
        return rig.run(n, PrRig.prOutCdb(7, 0x01, p.length), p);
    }

    @Test
    void registerAndMoveHandsTheReservationToAnotherInitiatorPort() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.a, 1, 0x01, KA, 0, 0));
        assertSense(registerAndMove(rig.a, KA, KB, 0, 2, rig.b.initiatorPortName()),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x80, 0x00, 0x12);
        assertSense(registerAndMove(rig.a, KA, KB, 0, 1, rig.a.initiatorPortName()),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x80, 0x00, 0x18);
        assertConflict(registerAndMove(rig.b, 0, KB, 0, 1, rig.c.initiatorPortName()));
        // The ISID is matched by value, whatever the case of its hex digits.
        assertGood(registerAndMove(rig.a, KA, KB, 0x02, 1, "iqn.2026-11.test:b,i,0x23D000000002"));
        assertThat(data(rig.prIn(rig.a, 0, 100))).as("UNREG removed a").containsExactly(
                ByteBuffer.allocate(16).putInt(2).putInt(8).putLong(KB).array());
        assertThat(data(rig.prIn(rig.a, 1, 100))).containsExactly(ByteBuffer.allocate(24).putInt(2).putInt(16)
                .putLong(KB).putInt(0).put((byte) 0).put((byte) 0x01).putShort((short) 0).array());
        assertThat(rig.reachesDevice(rig.b, PrRig.WRITE10_0)).isTrue();
        assertConflict(rig.run(rig.a, PrRig.WRITE10_0, null));
    }

    @Test
    void aTransportIdOfAnotherProtocolOrWithoutIsidIsRefused() {
        assertGood(rig.register(rig.a, KA));
        assertGood(rig.prOut(rig.a, 1, 0x01, KA, 0, 0));
        byte[] tid = TransportId.encodePort(rig.b.initiatorPortName());
        tid[0] = 0x05; // FORMAT CODE 00b: a device name, no initiator port
        byte[] p = ByteBuffer.allocate(24 + tid.length).putLong(KA).putLong(KB).put((byte) 0).put((byte) 0)
                .putShort((short) 1).putInt(tid.length).put(tid).array();
        assertSense(rig.run(rig.a, PrRig.prOutCdb(7, 0x01, p.length), p),
                0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x26, 0, 0, 0x80, 0x00, 0x18);
    }
}
