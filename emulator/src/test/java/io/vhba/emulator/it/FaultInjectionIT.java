package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.storport.RecoveryCounters;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Fault injection seen by an initiator on the wire: a medium error with the bad LBA in the
 * sense INFORMATION field, and a lost command that times out, drives the port through its
 * reset escalation and leaves the LUN usable afterwards.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultInjectionIT {
    private static final String INITIATOR = "iqn.2026-11.test:faults";

    private static TestTarget start(int ioTimeoutSeconds) {
        return start(ioTimeoutSeconds, "mailbox");
    }

    private static TestTarget start(int ioTimeoutSeconds, String miniport) {
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", miniport, new ControllerConfig(null, null, null),
                ioTimeoutSeconds, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null, List.of(new LunConfig(0, "64M", 512, false, true, false, null))))));
    }

    private static WireInitiator loggedIn(TestTarget target) throws Exception {
        WireInitiator w = new WireInitiator(target.port());
        LoginResponse login = w.login(INITIATOR, TestTarget.IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        // The power-on unit attention of the new nexus, cleared by TEST UNIT READY.
        WireInitiator.Answer ua = w.command(new byte[16], null, 0);
        assertThat(ua.status()).isEqualTo(2);
        assertThat(ua.sense()[2] & 0x0F).isEqualTo(0x6);
        return w;
    }

    @Test
    void aReadOfABadBlockFailsWithMediumErrorAndItsLbaWhileOtherBlocksReadFine() throws Exception {
        try (TestTarget target = start(30); WireInitiator w = loggedIn(target)) {
            target.vhba().faults().inject("medium-error,lun=0,lba=2048-2055");

            WireInitiator.Answer bad = w.command(WireInitiator.read10(2048, 1), null, 512);
            assertThat(bad.status()).isEqualTo(2); // CHECK CONDITION
            byte[] s = bad.sense();
            assertThat(s[0] & 0xFF).as("fixed format, VALID=1").isEqualTo(0xF0);
            assertThat(s[2] & 0x0F).as("MEDIUM ERROR").isEqualTo(0x3);
            assertThat(((s[3] & 0xFF) << 24) | ((s[4] & 0xFF) << 16) | ((s[5] & 0xFF) << 8) | (s[6] & 0xFF))
                    .as("INFORMATION: the first bad LBA").isEqualTo(2048);
            assertThat(new int[] {s[12] & 0xFF, s[13] & 0xFF}).as("UNRECOVERED READ ERROR").containsExactly(0x11, 0x00);

            WireInitiator.Answer straddling = w.command(WireInitiator.read10(2040, 16), null, 16 * 512);
            assertThat(straddling.status()).isEqualTo(2);
            assertThat(straddling.sense()[6] & 0xFF).as("INFORMATION low byte: 2048").isEqualTo(0x00);
            assertThat(straddling.sense()[5] & 0xFF).isEqualTo(0x08);

            for (long lba : new long[] {0, 4096}) {
                WireInitiator.Answer good = w.command(WireInitiator.read10(lba, 8), null, 4096);
                assertThat(good.status()).as("LBA " + lba).isZero();
                assertThat(good.dataBytes()).isEqualTo(4096);
            }
            assertThat(target.vhba().faults().active().get(0).fired()).isEqualTo(2);
        }
    }

    /** Every physical sample that can lose a command in its device: only its HwStorResetBus brings the request back. */
    @ParameterizedTest
    @ValueSource(strings = {"mailbox", "ring"})
    void aLostCommandTimesOutTheResetEscalationRunsAndLaterReadsSucceed(String miniport) throws Exception {
        Logger escalation = (Logger) LoggerFactory.getLogger("io.vhba.emulator.storport.ResetEscalation");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        escalation.addAppender(log);
        try (TestTarget target = start(5, miniport); WireInitiator w = loggedIn(target)) {
            w.setReceiveTimeout(40_000);
            target.vhba().faults().inject("never-complete,lun=0,count=1");

            long t0 = System.nanoTime();
            WireInitiator.Answer lost = w.command(WireInitiator.read10(0, 8), null, 4096);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(waitedMillis).as("not before its 5 s TimeOutValue").isGreaterThanOrEqualTo(5000);
            assertThat(lost.status()).isEqualTo(2);
            assertThat(new int[] {lost.sense()[2] & 0x0F, lost.sense()[12] & 0xFF, lost.sense()[13] & 0xFF})
                    .as("ABORTED COMMAND, COMMAND TIMEOUT DURING PROCESSING").containsExactly(0xB, 0x2E, 0x02);

            // The bus reset left SCSI BUS RESET OCCURRED for the nexus; then the LUN reads again.
            WireInitiator.Answer ua = w.command(WireInitiator.read10(0, 8), null, 4096);
            assertThat(ua.status()).isEqualTo(2);
            assertThat(new int[] {ua.sense()[2] & 0x0F, ua.sense()[12] & 0xFF, ua.sense()[13] & 0xFF}).containsExactly(0x6, 0x29, 0x02);
            WireInitiator.Answer again = w.command(WireInitiator.read10(0, 8), null, 4096);
            assertThat(again.status()).isZero();
            assertThat(again.dataBytes()).isEqualTo(4096);

            List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).startsWith("adapter " + miniport + "0 target 0 lun 0: SRB tag").endsWith("timed out after 5 s; escalating to LUN reset");
            assertThat(lines.get(1)).endsWith("LUN reset did not bring back 1 timed-out request(s); escalating to device reset");
            assertThat(lines.get(2)).endsWith("device reset did not bring back 1 timed-out request(s); escalating to bus reset");
            assertThat(lines.get(3)).startsWith("adapter " + miniport + "0: bus reset: HwStorResetBus returned true; the miniport completed 1 request(s)");
            RecoveryCounters c = target.adapter().recovery();
            assertThat(List.of(c.timeouts(), c.logicalUnitResets(), c.deviceResets(), c.busResets())).containsExactly(1L, 1L, 1L, 1L);
        } finally {
            escalation.detachAppender(log);
        }
    }

    /**
     * The same lost command seen by a real initiator, fio's libiscsi engine: its command fails
     * once the 5 s timeout has run and the port has escalated to a bus reset, and a new fio
     * session then reads the LUN.
     */
    @Test
    void fioSeesTheLostCommandFailAfterTheTimeoutAndThenReadsAgain() {
        Fio.binary();
        Logger escalation = (Logger) LoggerFactory.getLogger("io.vhba.emulator.storport.ResetEscalation");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        escalation.addAppender(log);
        try (TestTarget target = start(5)) {
            target.vhba().faults().inject("never-complete,lun=0,count=1");
            long t0 = System.nanoTime();
            Fio.Run lost = Fio.run(120, target.url(), "--rw=read", "--bs=4k", "--size=64k", "--iodepth=1");
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(lost.process().timedOut()).isFalse();
            assertThat(lost.process().exitCode()).as("fio reports the failed read: %s", lost.process()).isNotZero();
            // The first command to LUN 0 is libiscsi's own (the probe of its connect): it is the one lost,
            // and libiscsi reports the sense the port gave it: ABORTED COMMAND, COMMAND TIMEOUT DURING PROCESSING.
            assertThat(lost.process().stderr() + lost.process().stdout()).as("libiscsi names the failed command")
                    .contains("SENSE KEY:COMMAND ABORTED(11)", "(0x2e02)");
            assertThat(waitedMillis).as("not before the 5 s timeout").isGreaterThanOrEqualTo(5000);

            Fio.Run again = Fio.run(60, target.url(), "--rw=read", "--bs=4k", "--size=64k", "--iodepth=1");
            assertThat(again.process().exitCode()).as(again.process().toString()).isZero();
            assertThat(again.readBytes()).isEqualTo(64 * 1024);

            List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).endsWith("timed out after 5 s; escalating to LUN reset");
            assertThat(lines.get(3)).startsWith("adapter mailbox0: bus reset: HwStorResetBus returned true");
            System.out.printf("fio: the lost command failed after %d ms; escalation: %s%n", waitedMillis, lines);
        } finally {
            escalation.detachAppender(log);
        }
    }
}
