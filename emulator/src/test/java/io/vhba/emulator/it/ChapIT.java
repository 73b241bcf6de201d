package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * CHAP (RFC 7143 §12.1.3) with a real initiator: libiscsi takes the initiator's secret in the URL
 * ({@code user%secret@}) and the mutual one as {@code target_user}/{@code target_password}
 * arguments. Two targets in one process, one one-way and one mutual, also show SendTargets
 * listing more than one target. Discovery itself requires CHAP too, with its secret read from a file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChapIT {
    private static final String HINT = "apt-get install libiscsi-bin";
    private static final String ONE_WAY = "iqn.2026-11.io.vhba.test:oneway";
    private static final String MUTUAL = "iqn.2026-11.io.vhba.test:mutual";
    private static final String ALICE_SECRET = "alice-secret-12";
    private static final String BOB_SECRET = "bob-secret-1234";
    private static final String TARGET_SECRET = "target-secret-99";
    private static final String DISCOVERY_SECRET = "discovery-secret-7";
    /** libiscsi's message for login status 0x0201 (RFC 7143 §11.13.5: Authentication failure). */
    private static final String AUTH_FAILURE = "Status: Authentication failure(513)";

    private static TestTarget target;
    private static ListAppender<ILoggingEvent> logs;
    private static java.nio.file.Path discoverySecretFile;

    @BeforeAll
    static void start() throws java.io.IOException {
        Peers.require("iscsi-inq", HINT);
        discoverySecretFile = java.nio.file.Files.createTempFile("vhba-discovery", ".secret");
        java.nio.file.Files.writeString(discoverySecretFile, DISCOVERY_SECRET + "\n");
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        // Everything vHBA could say about a login, down to TRACE, must still keep the secrets out.
        vhbaLogger().setLevel(ch.qos.logback.classic.Level.TRACE);
        target = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null, List.of(
                        new TargetConfig(ONE_WAY, "oneway", new ChapConfig("alice", ALICE_SECRET, null, null), lun()),
                        new TargetConfig(MUTUAL, "mutual", new ChapConfig("bob", BOB_SECRET, "vhba", TARGET_SECRET), lun())))
                .withDiscoveryChap(new ChapConfig("disco", null, discoverySecretFile.toString(), null, null, null, null, null)));
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (target != null) {
            target.close();
        }
        java.nio.file.Files.deleteIfExists(discoverySecretFile);
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        vhbaLogger().setLevel(null);
    }

    private static Logger vhbaLogger() {
        return (Logger) LoggerFactory.getLogger("io.vhba");
    }

    private static List<LunConfig> lun() {
        return List.of(new LunConfig(0, "16M", 512, false, true, false, null));
    }

    private static String url(String credentials, String iqn) {
        return "iscsi://" + credentials + "127.0.0.1:" + target.port() + "/" + iqn + "/0";
    }

    private static String discoveryUrl(String credentials) {
        return "iscsi://" + credentials + "127.0.0.1:" + target.port();
    }

    @Test
    void sendTargetsWithoutTheDiscoverySecretIsRefused() {
        ProcessRun r = ProcessRun.run(30, "iscsi-ls", target.portalUrl());
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains(AUTH_FAILURE).doesNotContain("Target:");
        ProcessRun wrong = ProcessRun.run(30, "iscsi-ls", discoveryUrl("disco%" + ALICE_SECRET + "@"));
        assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
        assertThat(wrong.stdout()).doesNotContain("Target:");
    }

    @Test
    void sendTargetsListsBothTargets() {
        ProcessRun r = ProcessRun.run(30, "iscsi-ls", discoveryUrl("disco%" + DISCOVERY_SECRET + "@"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Target:" + ONE_WAY + " Portal:127.0.0.1:" + target.port() + ",1",
                "Target:" + MUTUAL + " Portal:127.0.0.1:" + target.port() + ",1");
    }

    @Test
    void theRightSecretLogsIn() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url("alice%" + ALICE_SECRET + "@", ONE_WAY));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Vendor:VHBA", "Peripheral Device Type:DIRECT_ACCESS");
    }

    @Test
    void aWrongSecretIsRefusedWithAuthenticationFailure() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url("alice%not-the-secret@", ONE_WAY));
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains(AUTH_FAILURE);
    }

    @Test
    void aWrongUserIsRefusedWithAuthenticationFailure() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url("mallory%" + ALICE_SECRET + "@", ONE_WAY));
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains(AUTH_FAILURE);
    }

    @Test
    void noSecretIsRefusedWithAuthenticationFailure() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url("", ONE_WAY));
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains(AUTH_FAILURE);
    }

    @Test
    void oneTargetsSecretDoesNotOpenTheOther() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq", url("alice%" + ALICE_SECRET + "@", MUTUAL));
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains(AUTH_FAILURE);
    }

    @Test
    void mutualChapLogsInWhenTheTargetProvesItsSecret() {
        ProcessRun r = ProcessRun.run(30, "iscsi-inq",
                url("bob%" + BOB_SECRET + "@", MUTUAL) + "?target_user=vhba&target_password=" + TARGET_SECRET);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Vendor:VHBA");
    }

    @Test
    void theInitiatorRejectsATargetThatDoesNotKnowTheSecretItExpects() {
        // The initiator expects a different target secret: our CHAP_R cannot match, and libiscsi says so.
        ProcessRun r = ProcessRun.run(30, "iscsi-inq",
                url("bob%" + BOB_SECRET + "@", MUTUAL) + "?target_user=vhba&target_password=some-other-secret");
        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.stdout() + r.stderr()).contains("Invalid CHAP_R response from the target");
    }

    @Test
    void secretsNeverReachTheLogs() {
        ProcessRun.run(30, "iscsi-inq", url("bob%" + BOB_SECRET + "@", MUTUAL) + "?target_user=vhba&target_password=" + TARGET_SECRET);
        ProcessRun.run(30, "iscsi-inq", url("alice%" + ALICE_SECRET + "@", ONE_WAY));
        ProcessRun.run(30, "iscsi-ls", discoveryUrl("disco%" + DISCOVERY_SECRET + "@"));
        List<String> lines;
        synchronized (logs.list) {
            lines = logs.list.stream().map(e -> e.getFormattedMessage() + " " + java.util.Arrays.deepToString(e.getArgumentArray())).toList();
        }
        assertThat(lines).as("log events captured during logins").isNotEmpty();
        assertThat(String.join("\n", lines)).doesNotContain(ALICE_SECRET, BOB_SECRET, TARGET_SECRET, DISCOVERY_SECRET);
    }
}
