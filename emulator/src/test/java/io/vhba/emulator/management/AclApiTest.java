package io.vhba.emulator.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.runtime.Vhba;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /targets/{iqn}/acl} changes the very access control list logins and commands consult. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AclApiTest {
    private static final String IQN = "iqn.2026-12.test:acl";
    private static Vhba vhba;
    private static String acl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        vhba = Vhba.start(VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(1).hostMemory("128M")
                .controller(new ControllerConfig(null, null, null)).nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(IQN, "acl", null, List.of(
                        new LunConfig(0, "8M", 512, false, true, false, null),
                        new LunConfig(1, "8M", 512, false, true, false, null)))))
                .http(new HttpConfig("127.0.0.1:0", null)).build());
        acl = vhba.managementUrl().orElseThrow() + "/targets/" + IQN + "/acl";
    }

    @AfterAll
    static void stop() {
        vhba.close();
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rulesPostedListedAndRevokedDecideWhoGetsInAndWhichLunsTheySee() throws Exception {
        assertThat(vhba.acl(IQN).admits("iqn.2026-12.test:anyone")).as("an open target").isTrue();

        HttpResponse<String> allow = send("POST", acl, "{\"initiator\":\"iqn.2026-12.test:good\",\"luns\":[1]}");
        assertThat(allow.statusCode()).isEqualTo(201);
        assertThat(allow.body()).isEqualTo("{\"action\":\"allow\",\"initiator\":\"iqn.2026-12.test:good\",\"luns\":[1]}");
        assertThat(send("POST", acl, "{\"deny\":\"iqn.2026-12.test:good-but-*\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> list = send("GET", acl, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"action\":\"allow\"", "\"action\":\"deny\"", "good-but-*");

        assertThat(vhba.acl(IQN).admits("iqn.2026-12.test:good")).isTrue();
        assertThat(vhba.acl(IQN).mask("iqn.2026-12.test:good").includes(0)).isFalse();
        assertThat(vhba.acl(IQN).mask("iqn.2026-12.test:good").includes(1)).isTrue();
        assertThat(vhba.acl(IQN).admits("iqn.2026-12.test:bad")).as("not on a non-empty allow list").isFalse();

        String revoke = acl + "?initiator=" + URLEncoder.encode("iqn.2026-12.test:good", StandardCharsets.UTF_8);
        assertThat(send("DELETE", revoke, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", revoke, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", acl + "?initiator=" + URLEncoder.encode("iqn.2026-12.test:good-but-*",
                StandardCharsets.UTF_8), null).statusCode()).isEqualTo(204);
        assertThat(vhba.acl(IQN).isOpen()).isTrue();
    }

    @Test
    void badRulesAre400NamingTheFieldAndChangeNothing() throws Exception {
        HttpResponse<String> both = send("POST", acl, "{\"initiator\":\"iqn.2026-12.test:a\",\"deny\":\"iqn.2026-12.test:b\"}");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).startsWith("{\"error\":\"initiator or deny").doesNotContain("\n");
        HttpResponse<String> noLun = send("POST", acl, "{\"initiator\":\"iqn.2026-12.test:a\",\"luns\":[7]}");
        assertThat(noLun.statusCode()).isEqualTo(400);
        assertThat(noLun.body()).contains("LUN 7");
        assertThat(send("DELETE", acl, null).statusCode()).isEqualTo(400);
        assertThat(send("GET", vhba.managementUrl().orElseThrow() + "/targets/iqn.2026-12.test:none/acl", null).statusCode())
                .isEqualTo(404);
        assertThat(vhba.acl(IQN).list()).isEmpty();
    }
}
