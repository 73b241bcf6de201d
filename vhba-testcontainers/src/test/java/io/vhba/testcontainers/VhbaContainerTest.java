package io.vhba.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.HttpWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.utility.DockerImageName;

/** VhbaContainer's configuration, as it would be handed to Docker; no Docker engine needed. */
class VhbaContainerTest {
    private static final String SECRET = "chap-secret-0123";

    /** The image a container would pull, without pulling it (getDockerImageName() would). */
    private static String imageOf(VhbaContainer c) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("imageName=([^,)]+)").matcher(c.getImage().toString());
        assertThat(m.find()).as("%s", c.getImage()).isTrue();
        return m.group(1);
    }

    @Test
    void theDefaultsAreTheImagesPortsAndATokenProtectedApiOnAllInterfaces() {
        try (VhbaContainer c = new VhbaContainer()) {
            assertThat(imageOf(c)).isEqualTo("vhba:latest");
            assertThat(c.getExposedPorts()).containsExactly(3260, 9260);
            assertThat(c.getEnvMap()).containsEntry("VHBA_HTTP", "0.0.0.0:9260")
                    .containsEntry("VHBA_HTTP_TOKEN", c.getHttpToken());
            assertThat(c.getHttpToken()).matches("[0-9a-f]{48}");
            assertThat(c.getCommandParts()).isEmpty();
            assertThat(c.getLuns()).containsExactly(0);
            assertThat(c.getIqn()).isEqualTo(VhbaContainer.DEFAULT_IQN);
            try (VhbaContainer other = new VhbaContainer()) {
                assertThat(other.getHttpToken()).as("one token per container").isNotEqualTo(c.getHttpToken());
            }
        }
    }

    @Test
    void lunsFaultsAndServeArgumentsBecomeTheContainersArguments() {
        try (VhbaContainer c = new VhbaContainer().withLun(1, "64M", 4096).withLun(0, "1G").withReadOnlyLun(2, "16M")
                .withReadOnlyLun(3, "8M", 4096).withFault("medium-error,lun=0,lba=2048-2055")
                .withFault("busy,lun=1,count=3").withServeArguments("--controller", "threaded")) {
            assertThat(c.getCommandParts()).containsExactly("--lun", "0,size=1G", "--lun", "1,size=64M,block-size=4096",
                    "--lun", "2,size=16M,read-only", "--lun", "3,size=8M,block-size=4096,read-only",
                    "--fault", "medium-error,lun=0,lba=2048-2055", "--fault", "busy,lun=1,count=3",
                    "--controller", "threaded");
            assertThat(c.getLuns()).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void aLunGivenTwiceKeepsTheLastDefinition() {
        try (VhbaContainer c = new VhbaContainer().withLun(1, "64M").withLun(1, "32M", 4096)) {
            assertThat(c.getCommandParts()).containsExactly("--lun", "1,size=32M,block-size=4096");
        }
    }

    @Test
    void miniportAndIqnGoThroughTheImagesVariables() {
        try (VhbaContainer c = new VhbaContainer().withMiniport("halfduplex").withIqn("iqn.2026-11.io.vhba.test:tc")) {
            assertThat(c.getEnvMap()).containsEntry("VHBA_MINIPORT", "halfduplex")
                    .containsEntry("VHBA_IQN", "iqn.2026-11.io.vhba.test:tc");
            assertThat(c.getIqn()).isEqualTo("iqn.2026-11.io.vhba.test:tc");
        }
    }

    @Test
    void chapSecretsAreFilesNeverArgumentsOrEnvironment() {
        try (VhbaContainer c = new VhbaContainer().withChap("host1", SECRET).withMutualChap("target1", SECRET + "-mutual")) {
            assertThat(c.getEnvMap()).containsEntry("VHBA_CHAP_USER", "host1")
                    .containsEntry("VHBA_CHAP_SECRET_FILE", VhbaContainer.CHAP_SECRET_FILE)
                    .containsEntry("VHBA_MUTUAL_CHAP_USER", "target1")
                    .containsEntry("VHBA_MUTUAL_CHAP_SECRET_FILE", VhbaContainer.MUTUAL_CHAP_SECRET_FILE)
                    .doesNotContainKeys("VHBA_CHAP_SECRET", "VHBA_MUTUAL_CHAP_SECRET");
            assertThat(c.getEnvMap().values()).noneMatch(v -> v.contains(SECRET));
            assertThat(c.getCommandParts()).noneMatch(v -> v.contains(SECRET));
            assertThat(c.secretFiles()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                    VhbaContainer.CHAP_SECRET_FILE, SECRET, VhbaContainer.MUTUAL_CHAP_SECRET_FILE, SECRET + "-mutual"));
        }
        try (VhbaContainer c = new VhbaContainer()) {
            assertThatThrownBy(() -> c.withMutualChap("t", SECRET)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> c.withChap("u", "two\nlines")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("two");
        }
    }

    @Test
    void badLunSettingsAreRefusedWhenGiven() {
        try (VhbaContainer c = new VhbaContainer()) {
            assertThatThrownBy(() -> c.withLun(256, "1G")).hasMessage("lun: 256 is outside 0..255");
            assertThatThrownBy(() -> c.withLun(1, "1G,read-only")).hasMessage("size: '1G,read-only' is not a size (e.g. 64M, 1G)");
            assertThatThrownBy(() -> c.withLun(1, "1G", 1000)).hasMessage("blockSize: 1000 is not 512 or 4096");
            assertThatThrownBy(() -> c.withFault(" ")).hasMessage("fault: an empty spec");
            assertThatThrownBy(() -> c.getIscsiUrl(5)).hasMessage("the target has no LUN 5; its LUNs: [0]");
            assertThat(c.getCommandParts()).isEmpty();
        }
    }

    @Test
    void onlyTheVhbaImageOrADeclaredSubstituteIsAccepted() {
        assertThatThrownBy(() -> new VhbaContainer("redis:7")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vhba");
        try (VhbaContainer tagged = new VhbaContainer("vhba:0.1.0");
             VhbaContainer mirrored = new VhbaContainer(DockerImageName.parse("registry.example/ci/vhba-target:7")
                     .asCompatibleSubstituteFor("vhba"))) {
            assertThat(imageOf(tagged)).isEqualTo("vhba:0.1.0");
            assertThat(imageOf(mirrored)).isEqualTo("registry.example/ci/vhba-target:7");
        }
    }

    // ---- the wait strategy, run against a stub of /health -------------------------------------------

    /** What a stub API was asked. */
    private record Asked(String path, String authorization) {}

    /** A loopback HTTP server answering every request {@code status}, or 401 without the bearer token. */
    private static HttpServer stub(int status, String token, List<Asked> asked) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        s.createContext("/", x -> {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            asked.add(new Asked(x.getRequestURI().getPath(), auth));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(("Bearer " + token).equals(auth) ? status : 401, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        });
        s.start();
        return s;
    }

    /** A container as a wait strategy sees it: the management port published on the stub's port, nothing else. */
    private static WaitStrategyTarget publishing(int managementPort) {
        return new WaitStrategyTarget() {
            @Override
            public List<Integer> getExposedPorts() {
                return List.of(VhbaContainer.ISCSI_PORT, VhbaContainer.MANAGEMENT_PORT);
            }

            @Override
            public InspectContainerResponse getContainerInfo() {
                return new InspectContainerResponse();
            }

            @Override
            public String getHost() {
                return "127.0.0.1";
            }

            @Override
            public Integer getMappedPort(int originalPort) {
                if (originalPort != VhbaContainer.MANAGEMENT_PORT) {
                    throw new IllegalArgumentException("the wait strategy asked for port " + originalPort);
                }
                return managementPort;
            }
        };
    }

    @Test
    void startWaitsForHealth200OnTheManagementPortWithTheContainersToken() throws IOException {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        try (VhbaContainer c = new VhbaContainer()) {
            HttpServer api = stub(200, c.getHttpToken(), asked);
            try {
                WaitStrategy w = c.waitStrategy();
                assertThat(w).isInstanceOf(HttpWaitStrategy.class);
                w.waitUntilReady(publishing(api.getAddress().getPort()));
                assertThat(asked).isNotEmpty().allSatisfy(a -> {
                    assertThat(a.path()).isEqualTo("/health");
                    assertThat(a.authorization()).isEqualTo("Bearer " + c.getHttpToken());
                });
            } finally {
                api.stop(0);
            }
        }
    }

    @Test
    void aDownTargetNeverBecomesReady() throws IOException {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        try (VhbaContainer c = new VhbaContainer()) {
            HttpServer api = stub(503, c.getHttpToken(), asked);
            try {
                WaitStrategy w = c.waitStrategy().withStartupTimeout(Duration.ofSeconds(3));
                assertThatThrownBy(() -> w.waitUntilReady(publishing(api.getAddress().getPort())))
                        .isInstanceOf(ContainerLaunchException.class);
                assertThat(asked).isNotEmpty();
            } finally {
                api.stop(0);
            }
        }
    }
}
