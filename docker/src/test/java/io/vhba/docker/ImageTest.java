package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the image from docker/Dockerfile with the repository root as the build context, as
 * {@code docker build -f docker/Dockerfile .} does (honouring .dockerignore), and runs it. Skipped
 * without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageTest {

    private static final int PORTAL = 3260;
    private static final int API = 9260;
    private static final String TOKEN = "image-test-token-0123456789";

    static ImageFromDockerfile image() {
        // Testcontainers makes the Dockerfile's directory the context; docker-java rebuilds the context
        // tar from the base directory (with its .dockerignore) when the Dockerfile is set after it.
        return new ImageFromDockerfile("vhba-image-test", true)
                .withDockerfile(ModuleFiles.dockerfile())
                .withBuildImageCmdModifier(cmd -> cmd.withBaseDirectory(ModuleFiles.repositoryRoot().toFile())
                        .withDockerfile(ModuleFiles.dockerfile().toFile()));
    }

    @Test
    void imageServesIscsiOnItsPortalBecomesHealthyAndStopsCleanly() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(image())
                .withEnv("VHBA_SIZE", "64M")
                .withEnv("VHBA_HTTP_TOKEN", TOKEN)
                .withExposedPorts(PORTAL, API)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(10)))) {
            c.start();

            // The wildcard portal: its URL names the any-address (IPv4 or IPv6 form) and port 3260.
            List<String> stdout = c.getLogs(OutputFrame.OutputType.STDOUT).lines().toList();
            assertThat(stdout.get(0)).matches("iscsi://(127\\.0\\.0\\.1|\\[::1]):3260/iqn\\.2026-11\\.io\\.vhba:disk0/0");
            assertThat(stdout).anyMatch(l -> l.startsWith("http://"));

            // Through the published port: a Login Response, not merely an accepted TCP connection
            // (Docker's port proxy accepts those even with nothing listening behind it).
            DiscoveryLogin.Answer a = DiscoveryLogin.attempt(c.getHost(), c.getMappedPort(PORTAL));
            assertThat(a).isEqualTo(new DiscoveryLogin.Answer(DiscoveryLogin.LOGIN_RESPONSE, true, 0, 1, 0, 0));

            // With a token the API listens on all interfaces and wants it on every request.
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(API) + "/health");
            assertThat(http.send(HttpRequest.newBuilder(health).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);

            assertThat(c.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
            assertThat(c.execInContainer("/opt/vhba/healthcheck.sh").getExitCode()).isZero();

            DockerClient docker = c.getDockerClient();
            docker.stopContainerCmd(c.getContainerId()).withTimeout(30).exec();
            assertThat(docker.inspectContainerCmd(c.getContainerId()).exec().getState().getExitCodeLong())
                    .as("the JVM ended by SIGTERM after its shutdown hook").isEqualTo(143L);
        }
    }
}
