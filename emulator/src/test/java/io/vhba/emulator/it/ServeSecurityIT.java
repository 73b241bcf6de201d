package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in, configured on the command line of a real {@code serve} process: {@code --allow}, discovery CHAP from
 * a file, one-way CHAP from a file and mutual CHAP from the environment, checked with libiscsi's tools.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeSecurityIT {
    private static final String HINT = "apt-get install libiscsi-bin";
    private static final String IQN = VhbaConfig.DEFAULT_IQN;
    private static final String GOOD = "iqn.2026-12.test:good";
    private static final String BAD = "iqn.2026-12.test:bad";
    private static final String DISCOVERY_SECRET = "disco-secret-123";
    private static final String ALICE_SECRET = "alice-secret-12";
    private static final String TARGET_SECRET = "target-secret-99";
    /** libiscsi's messages for login status 0x0202 and 0x0201 (RFC 7143 §11.13.5). */
    private static final String AUTHORIZATION_FAILURE = "Authorization failure(514)";
    private static final String AUTHENTICATION_FAILURE = "Authentication failure(513)";

    @TempDir
    Path dir;

    @Test
    void allowLetsTheGoodInitiatorSeeAndUseTheTargetAndRefusesTheBadOne() throws IOException {
        Peers.require("iscsi-ls", HINT);
        try (ServeProcess serve = ServeProcess.start(Map.of(), "--allow", GOOD, "--lun", "1,size=8M")) {
            ProcessRun good = ProcessRun.run(30, "iscsi-ls", "-s", "-i", GOOD, serve.portalUrl());
            assertThat(good.exitCode()).as(good.toString()).isZero();
            assertThat(good.stdout()).contains("Target:" + IQN + " Portal:127.0.0.1:" + serve.port() + ",1")
                    .containsPattern("Lun:0\\s+Type:DIRECT_ACCESS").containsPattern("Lun:1\\s+Type:DIRECT_ACCESS");

            ProcessRun bad = ProcessRun.run(30, "iscsi-ls", "-i", BAD, serve.portalUrl());
            assertThat(bad.exitCode()).as(bad.toString()).isZero();
            assertThat(bad.stdout()).as("SendTargets hides the target from an initiator it refuses").doesNotContain("Target:");

            String url = serve.portalUrl() + "/" + IQN + "/0";
            ProcessRun inq = ProcessRun.run(30, "iscsi-inq", "-i", BAD, url);
            assertThat(inq.exitCode()).as(inq.toString()).isNotZero();
            assertThat(inq.stdout() + inq.stderr()).contains(AUTHORIZATION_FAILURE);
            ProcessRun inqGood = ProcessRun.run(30, "iscsi-inq", "-i", GOOD, url);
            assertThat(inqGood.exitCode()).as(inqGood.toString()).isZero();
            assertThat(inqGood.stdout()).contains("Vendor:VHBA");

            try (WireInitiator w = new WireInitiator(serve.port())) {
                LoginResponse r = w.login(BAD, IQN);
                assertThat(r.statusClass() << 8 | r.statusDetail()).as("the login response on the wire").isEqualTo(0x0202);
                assertThat(r.data().readableBytes()).isZero();
                r.release();
                assertThat(w.awaitClose()).as("the target closes a refused login").isTrue();
            }
            try (WireInitiator w = new WireInitiator(serve.port())) {
                LoginResponse r = w.login("IQN.2026-12.TEST:GOOD", IQN);
                assertThat(r.statusClass()).as("names compare in lower case (RFC 3722)").isZero();
                r.release();
            }
        }
    }

    @Test
    void discoveryAndTargetChapFromFilesAndTheEnvironmentWithSecretsNeverLogged() throws IOException {
        Peers.require("iscsi-ls", HINT);
        Path discovery = Files.writeString(dir.resolve("discovery"), "# user:secret\ndisco:" + DISCOVERY_SECRET + "\n");
        Path alice = Files.writeString(dir.resolve("alice"), ALICE_SECRET + "\n");
        try (ServeProcess serve = ServeProcess.start(Map.of("VHBA_MUTUAL_CHAP_SECRET", TARGET_SECRET, "VHBA_LOG_LEVEL", "TRACE"),
                "--discovery-chap-file", discovery.toString(), "--chap-user", "alice", "--chap-secret-file", alice.toString(),
                "--mutual-chap-user", "vhba")) {
            String portal = "127.0.0.1:" + serve.port();
            ProcessRun open = ProcessRun.run(30, "iscsi-ls", "iscsi://" + portal);
            assertThat(open.exitCode()).as(open.toString()).isNotZero();
            assertThat(open.stdout() + open.stderr()).contains(AUTHENTICATION_FAILURE).doesNotContain("Target:");
            ProcessRun wrong = ProcessRun.run(30, "iscsi-ls", "iscsi://disco%not-the-secret-0@" + portal);
            assertThat(wrong.exitCode()).as(wrong.toString()).isNotZero();
            ProcessRun listed = ProcessRun.run(30, "iscsi-ls", "iscsi://disco%" + DISCOVERY_SECRET + "@" + portal);
            assertThat(listed.exitCode()).as(listed.toString()).isZero();
            assertThat(listed.stdout()).contains("Target:" + IQN + " Portal:" + portal + ",1");

            String lun = portal + "/" + IQN + "/0";
            ProcessRun oneWay = ProcessRun.run(30, "iscsi-inq", "iscsi://alice%" + ALICE_SECRET + "@" + lun);
            assertThat(oneWay.exitCode()).as(oneWay.toString()).isZero();
            assertThat(oneWay.stdout()).contains("Vendor:VHBA");
            ProcessRun mutual = ProcessRun.run(30, "iscsi-inq", "iscsi://alice%" + ALICE_SECRET + "@" + lun
                    + "?target_user=vhba&target_password=" + TARGET_SECRET);
            assertThat(mutual.exitCode()).as(mutual.toString()).isZero();
            ProcessRun wrongSecret = ProcessRun.run(30, "iscsi-inq", "iscsi://alice%" + DISCOVERY_SECRET + "@" + lun);
            assertThat(wrongSecret.exitCode()).as(wrongSecret.toString()).isNotZero();
            assertThat(wrongSecret.stdout() + wrongSecret.stderr()).contains(AUTHENTICATION_FAILURE);
            ProcessRun none = ProcessRun.run(30, "iscsi-inq", "iscsi://" + lun);
            assertThat(none.exitCode()).as(none.toString()).isNotZero();

            String log = serve.log();
            assertThat(log).as("TRACE was on").contains("DEBUG").contains("login failed");
            assertThat(log).doesNotContain(DISCOVERY_SECRET, ALICE_SECRET, TARGET_SECRET);
        }
    }
}
