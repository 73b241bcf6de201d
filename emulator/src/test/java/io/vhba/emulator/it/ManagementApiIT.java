package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vhba.emulator.cli.Main;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.AsyncMessage;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The management API and {@code vhba ctl} against a target started with {@code http: 127.0.0.1:0}, seen by real
 * initiators (fio's libiscsi engine, iscsi-ls) and, for exact sense bytes, the wire initiator: a medium error
 * installed and cleared while the target runs, a resize, a LUN added and removed, a session dropped, a SANITIZE's
 * progress, and a bug check that turns {@code /health} to 503.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagementApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IQN = TestTarget.IQN;
    private static final byte[] TUR = new byte[6];
    private static final byte[] READ_CAPACITY_16 = {(byte) 0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0};
    private static final String CAPACITY_DATA_HAS_CHANGED = "700006000000000A000000002A0900000000";
    private static final String REPORTED_LUNS_DATA_HAS_CHANGED = "700006000000000A000000003F0E00000000";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /**
     * LUN 0: 64 MiB; LUN 1: 16 MiB whose SANITIZE OVERWRITE runs at 4 MiB/s (about 4 s, progress counted in 8 MiB
     * slices: 50% for the first two seconds).
     */
    private static TestTarget start(String miniport) {
        return TestTarget.start(VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("512M")
                .miniport(miniport).controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30).verifier(true)
                .nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(IQN, "vhba-mgmt", null, List.of(
                        new LunConfig(0, "64M", 512, false, true, false, null),
                        new LunConfig(1, "16M", 512, null, false, true, false, null, "4M")))))
                .http(new HttpConfig("127.0.0.1:0", null)).build());
    }

    private record Ctl(int exit, String out, String err) {}

    private static Ctl ctl(TestTarget t, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        all[1] = "--url";
        all[2] = t.vhba().managementUrl().orElseThrow();
        System.arraycopy(args, 0, all, 3, args.length);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Ctl(code, out.toString(), err.toString());
    }

    private HttpResponse<String> api(TestTarget t, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(t.vhba().managementUrl().orElseThrow() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WireInitiator loggedIn(TestTarget t, String initiator, int... luns) throws Exception {
        WireInitiator w = new WireInitiator(t.port());
        LoginResponse login = w.login(initiator, IQN);
        assertThat(login.statusClass()).isZero();
        login.release();
        for (int lun : luns) {
            assertThat(w.command(lun, TUR, null, 0).status()).as("the power-on unit attention of LUN " + lun).isEqualTo(2);
        }
        return w;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    @Test
    void aFaultFromCtlFailsARealInitiatorsReadOfThatBlockOnlyUntilCleared() throws Exception {
        Fio.binary();
        try (TestTarget t = start("mailbox"); WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-faults", 0)) {
            Ctl add = ctl(t, "fault", "add", "medium-error,lun=0,lba=2048-2055");
            assertThat(add.exit()).as(add.err()).isZero();

            Fio.Run bad = Fio.run(60, t.url(), "--rw=read", "--bs=4k", "--offset=1m", "--size=4k");
            assertThat(bad.error()).as("fio's read of LBA 2048 fails\n" + bad.process()).isNotZero();
            assertThat(bad.process().stdout() + bad.process().stderr()).as("libiscsi names the sense")
                    .contains("SENSE KEY:(null)(3) ASCQ:(null)(0x1100)");
            Fio.Run good = Fio.run(60, t.url(), "--rw=read", "--bs=4k", "--offset=2m", "--size=4k");
            assertThat(good.error()).as(good.process().toString()).isZero();
            assertThat(good.readBytes()).isEqualTo(4096);

            WireInitiator.Answer a = w.command(WireInitiator.read10(2048, 1), null, 512);
            assertThat(a.status()).isEqualTo(2);
            assertThat(new int[] {a.sense()[2] & 0x0F, a.sense()[12] & 0xFF, a.sense()[13] & 0xFF})
                    .as("MEDIUM ERROR, UNRECOVERED READ ERROR").containsExactly(0x3, 0x11, 0x00);

            JsonNode listed = JSON.readTree(ctl(t, "--json", "fault", "list").out());
            assertThat(listed.get(0).get("spec").asText()).isEqualTo("medium-error,lun=0,lba=2048-2055");
            assertThat(listed.get(0).get("fired").asLong()).as("fio's read and ours").isGreaterThanOrEqualTo(2);

            assertThat(ctl(t, "fault", "clear").out()).isEqualTo("removed 1 fault(s)\n");
            var io = t.vhba().ioStatistics();
            assertThat(io.reads()).as("serve --stats counts the reads that were answered").isGreaterThanOrEqualTo(3);
            assertThat(io.bytesRead()).as("fio's good read; the failed ones moved no data").isGreaterThanOrEqualTo(4096);
            assertThat(io.outstanding()).isZero();
            Fio.Run again = Fio.run(60, t.url(), "--rw=read", "--bs=4k", "--offset=1m", "--size=4k");
            assertThat(again.error()).as(again.process().toString()).isZero();
            assertThat(w.command(WireInitiator.read10(2048, 1), null, 512).status()).isZero();
        }
    }

    @Test
    void aResizeAndALunAddedAndRemovedReachTheInitiatorsAndLeaveLunZerosDataAlone() throws Exception {
        Peers.require("iscsi-ls", "apt-get install libiscsi-bin");
        try (TestTarget t = start("mailbox"); WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-luns", 0)) {
            byte[] pattern = new byte[512];
            Arrays.fill(pattern, (byte) 0x5A);
            byte[] write10 = {0x2A, 0, 0, 0, 0, 100, 0, 0, 1, 0};
            assertThat(w.command(write10, pattern, 0).status()).isZero();

            Ctl resize = ctl(t, "resize", IQN, "0", "32M");
            assertThat(resize.exit()).as(resize.err()).isZero();
            assertThat(hex(w.command(TUR, null, 0).sense())).isEqualTo(CAPACITY_DATA_HAS_CHANGED);
            WireInitiator.Answer rc = w.command(READ_CAPACITY_16, null, 32);
            assertThat(hex(Arrays.copyOf(rc.data(), 8))).as("last LBA of 32 MiB").isEqualTo("000000000000FFFF");

            Ctl add = ctl(t, "lun", "add", IQN, "3,size=16M");
            assertThat(add.exit()).as(add.err()).isZero();
            ProcessRun ls = ProcessRun.run(30, "iscsi-ls", "-s", t.portalUrl());
            assertThat(ls.stdout()).as(ls.toString()).containsPattern("Lun:3\\s+Type:DIRECT_ACCESS \\(Size:15M\\)");
            assertThat(JSON.readTree(api(t, "GET", "/adapters").body()).get(0).get("luns").toString())
                    .as("the port's rescan found the new unit").isEqualTo("[0,1,3]");
            assertThat(hex(w.command(TUR, null, 0).sense())).as("an existing nexus hears of the new LUN")
                    .isEqualTo(REPORTED_LUNS_DATA_HAS_CHANGED);
            assertThat(w.command(TUR, null, 0).status()).as("once").isZero();
            byte[] reportLuns = {(byte) 0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
            WireInitiator.Answer luns = w.command(reportLuns, null, 256);
            assertThat(hex(Arrays.copyOf(luns.data(), 32))).as("REPORT LUNS: 0, 1, 3")
                    .isEqualTo("00000018" + "00000000" + "0000000000000000" + "0001000000000000" + "0003000000000000");

            Ctl remove = ctl(t, "lun", "remove", IQN, "3");
            assertThat(remove.exit()).as(remove.err()).isZero();
            ProcessRun after = ProcessRun.run(30, "iscsi-ls", "-s", t.portalUrl());
            assertThat(after.stdout()).as(after.toString()).contains("Lun:0").doesNotContain("Lun:3");
            assertThat(hex(w.command(TUR, null, 0).sense())).isEqualTo(REPORTED_LUNS_DATA_HAS_CHANGED);
            assertThat(JSON.readTree(api(t, "GET", "/adapters").body()).get(0).get("luns").toString())
                    .as("the port forgot the unit its rescan no longer found").isEqualTo("[0,1]");
            assertThat(w.command(TUR, null, 0).status()).as("once").isZero();
            WireInitiator.Answer gone = w.command(3, TUR, null, 0);
            assertThat(new int[] {gone.status(), gone.sense()[2] & 0x0F, gone.sense()[12] & 0xFF})
                    .as("LOGICAL UNIT NOT SUPPORTED").containsExactly(2, 0x5, 0x25);

            WireInitiator.Answer read = w.command(WireInitiator.read10(100, 1), null, 512);
            assertThat(read.status()).isZero();
            assertThat(read.data()).as("LUN 0's data survived the changes").isEqualTo(pattern);
            assertThat(t.vhba().engine().verifier().bugChecks()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox", "halfduplex", "virtual"})
    void aHotAddedLunCarriesDataBehindEveryMiniportAndGoesAwayCleanly(String miniport) throws Exception {
        try (TestTarget t = start(miniport)) {
            Ctl add = ctl(t, "lun", "add", IQN, "2,size=8M");
            assertThat(add.exit()).as(add.err()).isZero();
            try (WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-" + miniport, 0, 2)) {
                byte[] data = new byte[4096];
                Arrays.fill(data, (byte) 0xC3);
                byte[] write10 = {0x2A, 0, 0, 0, 0, 10, 0, 0, 8, 0};
                assertThat(w.command(2, write10, data, 0).status()).as(miniport + " write to the new LUN").isZero();
                WireInitiator.Answer r = w.command(2, WireInitiator.read10(10, 8), null, 4096);
                assertThat(r.status()).isZero();
                assertThat(r.data()).as(miniport + " reads back what it wrote").isEqualTo(data);
                assertThat(w.command(0, WireInitiator.read10(10, 8), null, 4096).data())
                        .as("LUN 0 is another disk").containsOnly(0);
            }
            Ctl remove = ctl(t, "lun", "remove", IQN, "2");
            assertThat(remove.exit()).as(remove.err()).isZero();
            assertThat(t.adapter().logicalUnits()).extracting(u -> u.lun()).containsExactly(0, 1);
            assertThat(t.vhba().engine().verifier().bugChecks()).isEmpty();
        }
    }

    @Test
    void aDroppedSessionIsAskedToLogOutAndClosedAfterTheGrace() throws Exception {
        try (TestTarget t = start("mailbox"); WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-drop", 0)) {
            JsonNode sessions = JSON.readTree(api(t, "GET", "/sessions").body());
            assertThat(sessions).hasSize(1);
            JsonNode s = sessions.get(0);
            assertThat(s.get("initiator").asText()).isEqualTo("iqn.2026-11.test:mgmt-drop");
            assertThat(s.get("target").asText()).isEqualTo(IQN);
            assertThat(s.get("isid").asText()).isEqualTo("0x23d000000001");
            assertThat(s.get("commands").asLong()).isEqualTo(1);
            assertThat(s.get("remoteAddress").asText()).startsWith("127.0.0.1:");
            int tsih = s.get("tsih").asInt();

            HttpResponse<String> drop = api(t, "DELETE", "/sessions/" + tsih);
            assertThat(drop.statusCode()).isEqualTo(202);
            Object pdu = w.receive();
            assertThat(pdu).isInstanceOf(AsyncMessage.class);
            AsyncMessage m = (AsyncMessage) pdu;
            assertThat(m.asyncEvent()).as("target requests Logout (RFC 7143 §11.9.1)").isEqualTo(1);
            assertThat(m.parameter3()).as("seconds to log out").isEqualTo(2);
            m.release();
            assertThat(w.awaitClose()).as("closed once the grace has passed without a Logout").isTrue();
            assertThat(JSON.readTree(api(t, "GET", "/sessions").body())).isEmpty();
            assertThat(api(t, "DELETE", "/sessions/" + tsih).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aLongSanitizeReportsItsProgressAndTheLunCannotBeRemovedMeanwhile() throws Exception {
        try (TestTarget t = start("mailbox"); WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-sanitize", 1)) {
            byte[] list = ByteBuffer.allocate(4 + 512).put((byte) 1).put((byte) 0).putShort((short) 512).array();
            byte[] cdb = {0x48, (byte) 0x81, 0, 0, 0, 0, 0, (byte) (list.length >>> 8), (byte) list.length, 0}; // IMMED
            WireInitiator.Answer started = w.command(1, cdb, list, 0);
            assertThat(started.status()).as("IMMED: GOOD at once").isZero();

            JsonNode op = null;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); System.nanoTime() < end && op == null; ) {
                for (JsonNode o : JSON.readTree(api(t, "GET", "/operations").body())) {
                    if (o.get("kind").asText().equals("SANITIZE") && o.get("percent").asDouble() > 0) {
                        op = o;
                    }
                }
                Thread.sleep(200);
            }
            assertThat(op).as("SANITIZE listed with progress").isNotNull();
            assertThat(op.get("state").asText()).isEqualTo("RUNNING");
            assertThat(op.get("lun").asInt()).isEqualTo(1);
            assertThat(op.get("percent").asDouble()).isBetween(0.1, 99.9);
            Ctl remove = ctl(t, "lun", "remove", IQN, "1");
            assertThat(remove.exit()).isEqualTo(1);
            assertThat(remove.err()).startsWith("vhba ctl: 409: " + IQN + " LUN 1: a SANITIZE is in progress (");
            Ctl resize = ctl(t, "resize", IQN, "1", "32M");
            assertThat(resize.exit()).isEqualTo(1);
            assertThat(resize.err()).startsWith("vhba ctl: 409: " + IQN + " LUN 1: a SANITIZE is in progress (");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (JSON.readTree(api(t, "GET", "/operations").body()).findValues("kind").stream()
                    .anyMatch(k -> k.asText().equals("SANITIZE"))) {
                assertThat(System.nanoTime()).as("SANITIZE still running after 30 s").isLessThan(deadline);
                Thread.sleep(250);
            }
            assertThat(w.command(1, TUR, null, 0).status()).as("the medium is ready again").isZero();
        }
    }

    @Test
    void healthTurns503NamingTheBugCheckThatStoppedTheAdapter() throws Exception {
        try (TestTarget t = DoubleCompletingMiniport.withDriverVisible(dir, () -> start("doublecomplete"))) {
            HttpResponse<String> up = api(t, "GET", "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");

            try (WireInitiator w = loggedIn(t, "iqn.2026-11.test:mgmt-health", 0)) {
                DoubleCompletingMiniport.ARMED.set(true);
                w.setReceiveTimeout(2000);
                try {
                    w.command(WireInitiator.read10(0, 1), null, 512);
                } catch (java.io.IOException | AssertionError ignored) {
                    // whatever the initiator hears, the adapter is what this test is about
                }
            }
            HttpResponse<String> down = null;
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end; Thread.sleep(100)) {
                down = api(t, "GET", "/health");
                if (down.statusCode() == 503) {
                    break;
                }
            }
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"reason\":"
                    + "\"adapter doublecomplete0 stopped by bug check 0xF1/0x2004 DOUBLE_COMPLETION\"}");
            JsonNode bugChecks = JSON.readTree(api(t, "GET", "/adapters/doublecomplete0/bugchecks").body());
            assertThat(bugChecks.get(0).get("rule").asText()).isEqualTo("DOUBLE_COMPLETION");
            assertThat(bugChecks.get(0).get("subCode").asText()).isEqualTo("0x2004");
            Ctl status = ctl(t, "status");
            assertThat(status.exit()).as("ctl status of an unhealthy target").isEqualTo(1);
            assertThat(status.out()).contains("doublecomplete0").contains("FAILED");
            assertThat(status.err()).isEqualTo("vhba ctl: 503: adapter doublecomplete0 stopped by bug check 0xF1/0x2004 "
                    + "DOUBLE_COMPLETION" + System.lineSeparator());
        } finally {
            DoubleCompletingMiniport.ARMED.set(false);
        }
    }
}
