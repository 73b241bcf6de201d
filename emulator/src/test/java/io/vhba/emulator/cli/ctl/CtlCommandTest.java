package io.vhba.emulator.cli.ctl;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vhba.emulator.cli.Main;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.Portal;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.management.ApiResponse;
import io.vhba.emulator.management.BearerToken;
import io.vhba.emulator.management.ManagementServer;
import io.vhba.emulator.management.ManagementSettings;
import io.vhba.emulator.management.RouteTable;
import io.vhba.emulator.runtime.Vhba;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vhba ctl} against an in-process target: tables, --json, and exit status 0, 1 and 2. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CtlCommandTest {
    private static final String IQN = "iqn.2026-11.io.vhba.test:ctl";
    private static Vhba vhba;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        CtlCommand.environment = k -> null; // a VHBA_HTTP_TOKEN of the machine running the tests plays no part
        vhba = Vhba.start(VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("256M")
                .miniport("mailbox").controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30).verifier(true)
                .nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(IQN, "ctl", null, List.of(new LunConfig(0, "16M", 512, false, true, false, null)))))
                .http(new HttpConfig("127.0.0.1:0", null)).build());
        url = vhba.managementUrl().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (vhba != null) {
            vhba.close();
        }
        CtlCommand.environment = System::getenv;
    }

    private record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return CtlClient.JSON.readTree(out);
        }
    }

    private static Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusPrintsVersionHealthAndAnAdapterTable() {
        Run r = ctl("--url", url, "status");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("vHBA \\S+: UP");
        assertThat(lines[1]).startsWith("ADAPTER   TARGET").contains("STATE    LUNS  BUGCHECKS");
        assertThat(lines[2]).startsWith("mailbox0  " + IQN + "  RUNNING  0");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void faultsAreAddedListedAndClearedAndJsonIsTheApisOwn() throws Exception {
        Run add = ctl("--url", url, "fault", "add", "medium-error,lun=0,lba=2048-2055");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).matches("fault \\d+ added: medium-error,lun=0,lba=2048-2055\n");
        long id = Long.parseLong(add.out().split(" ")[1]);

        Run list = ctl("--url", url, "fault", "list");
        assertThat(list.out()).contains("ID  SPEC                              FIRED  EXHAUSTED\n")
                .contains(id + "   medium-error,lun=0,lba=2048-2055  0      no\n");
        JsonNode json = ctl("--url", url, "--json", "fault", "list").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json.get(0).get("spec").asText()).isEqualTo("medium-error,lun=0,lba=2048-2055");
        assertThat(json.get(0).get("fired").asLong()).isZero();

        Run bad = ctl("--url", url, "fault", "add", "medium-error,lun=0");
        assertThat(bad.exit()).as("the server refused it").isEqualTo(1);
        assertThat(bad.err()).isEqualTo("vhba ctl: 400: medium-error needs lba=FIRST[-LAST]" + System.lineSeparator());

        assertThat(ctl("--url", url, "fault", "clear", Long.toString(id)).out()).isEqualTo("fault " + id + " removed\n");
        Run again = ctl("--url", url, "fault", "clear", Long.toString(id));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("vhba ctl: 404: no fault " + id + System.lineSeparator());
        assertThat(ctl("--url", url, "fault", "clear").out()).isEqualTo("removed 0 fault(s)\n");
    }

    @Test
    void aLunIsAddedResizedListedAndRemoved() throws Exception {
        Run add = ctl("--url", url, "lun", "add", IQN, "5,size=8M,read-only");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).isEqualTo(IQN + " LUN 5 added: 8M\n");
        Run resize = ctl("--url", url, "resize", IQN, "5", "12M");
        assertThat(resize.out()).isEqualTo(IQN + " LUN 5: 12M (12582912 bytes)\n");
        Run luns = ctl("--url", url, "luns");
        assertThat(luns.out()).contains("TARGET").contains(IQN + "  5    12M   512    4096      ro,thin");
        JsonNode json = ctl("--url", url, "--json", "luns", IQN).json();
        assertThat(json.get(0).get("luns").get(1).get("sizeBytes").asLong()).isEqualTo(12L << 20);
        Run ops = ctl("--url", url, "operations");
        assertThat(ops.out()).contains("LUN_ADD").contains("RESIZE");

        assertThat(ctl("--url", url, "lun", "remove", IQN, "5").out()).isEqualTo(IQN + " LUN 5 removed\n");
        Run gone = ctl("--url", url, "lun", "remove", IQN, "5");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("vhba ctl: 404: target " + IQN + " has no LUN 5" + System.lineSeparator());
    }

    @Test
    void aBackingFileBacksOneLunOnly() throws Exception {
        Path img = dir.resolve("lun6.img");
        Run add = ctl("--url", url, "lun", "add", IQN, "6,size=8M,file=" + img);
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(Files.size(img)).isEqualTo(8L << 20);
        Files.createSymbolicLink(dir.resolve("alias.img"), img);
        Run again = ctl("--url", url, "lun", "add", IQN, "7,size=8M,file=" + dir.resolve("alias.img"));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("vhba ctl: 409: file " + dir.resolve("alias.img") + " already backs " + IQN
                + " LUN 6" + System.lineSeparator());
        assertThat(ctl("--url", url, "lun", "remove", IQN, "6").exit()).isZero();
    }

    @Test
    void anAdapterRestartsOnRequestAndAnUnknownOneIsNamed() {
        long resets = vhba.devices().get(0).model().statistics().get("resets");
        Run r = ctl("--url", url, "restart", "mailbox0");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("adapter mailbox0 restarted: RUNNING\n");
        assertThat(vhba.devices().get(0).model().statistics().get("resets")).as("ScsiStopAdapter reset the controller")
                .isEqualTo(resets + 1);
        Run unknown = ctl("--url", url, "restart", "nosuch0");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("vhba ctl: 404: no adapter nosuch0" + System.lineSeparator());
        assertThat(ctl("--url", url, "sessions").out()).as("no session: the header alone")
                .isEqualTo("TSIH  ISID  INITIATOR  TARGET  TYPE  PORTAL  REMOTE  LOGIN  COMMANDS\n");
    }

    @Test
    void usageErrorsAndAnUnreachableServerExitWith2() {
        Run badSpec = ctl("--url", url, "lun", "add", IQN, "5,colour=red");
        assertThat(badSpec.exit()).isEqualTo(2);
        assertThat(badSpec.err()).startsWith("vhba: error: unknown key 'colour'");
        Run noUrl = ctl("status");
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.err()).startsWith("vhba: Missing required option: '--url=URL'");
        Run notANumber = ctl("--url", url, "resize", IQN, "zero", "1G");
        assertThat(notANumber.exit()).isEqualTo(2);
        Run unreachable = ctl("--url", "http://127.0.0.1:1", "status");
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.err()).isEqualTo("vhba ctl: cannot reach http://127.0.0.1:1/: connection refused"
                + System.lineSeparator());
        assertThat(ctl("--url", "ftp://x", "status").err()).isEqualTo("vhba ctl: --url 'ftp://x' is not http://HOST:PORT"
                + System.lineSeparator());
    }

    @Test
    void theTokenComesFromTheFileAndAWrongOneIsTheServersError() throws Exception {
        RouteTable routes = new RouteTable().add(GET, "/faults", r -> ApiResponse.ok(List.of()));
        try (ManagementServer s = ManagementServer.start(routes,
                new ManagementSettings(new Portal("127.0.0.1", 0), BearerToken.of("ctl-token-1")))) {
            Path good = Files.writeString(dir.resolve("good"), "ctl-token-1\n");
            Path bad = Files.writeString(dir.resolve("bad"), "other\n");
            assertThat(ctl("--url", s.url(), "--token-file", good.toString(), "fault", "list").exit()).isZero();
            Run wrong = ctl("--url", s.url(), "--token-file", bad.toString(), "fault", "list");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).startsWith("vhba ctl: 401: ");
            assertThat(ctl("--url", s.url(), "fault", "list").exit()).as("no token at all").isEqualTo(1);
        }
    }
}
