package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the image from docker/Dockerfile with the same build context layout as
 * {@code docker build -f docker/Dockerfile .} and runs it. Skipped without a Docker engine.
 */
@Testcontainers(disabledWithoutDocker = true)
class ImageTest {

    private static final int PORTAL = 3260;

    private static ImageFromDockerfile image() {
        // Only the files the Dockerfile copies, at their repository-relative paths.
        return new ImageFromDockerfile("vhba-image-test", true)
                .withFileFromPath("docker/Dockerfile", ModuleFiles.dockerfile())
                .withFileFromPath("docker/entrypoint.sh", ModuleFiles.entrypoint())
                .withFileFromPath("docker/healthcheck.sh", ModuleFiles.healthcheck())
                .withFileFromPath(ModuleFiles.BUILT_JAR, ModuleFiles.builtJar())
                .withDockerfilePath("docker/Dockerfile");
    }

    @Test
    void imageServesIscsiOnItsPortalBecomesHealthyAndStopsCleanly() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(image())
                .withEnv("VHBA_SIZE", "64M")
                .withExposedPorts(PORTAL)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)))) {
            c.start();

            // The wildcard portal: its URL names the any-address (IPv4 or IPv6 form) and port 3260.
            assertThat(c.getLogs(OutputFrame.OutputType.STDOUT).lines().toList()).singleElement().asString()
                    .matches("iscsi://(0\\.0\\.0\\.0|\\[[0:]+]):3260/iqn\\.2026-11\\.io\\.vhba:disk0/0");

            // Through the published port: a Login Response, not merely an accepted TCP connection
            // (Docker's port proxy accepts those even with nothing listening behind it).
            DiscoveryLogin.Answer a = DiscoveryLogin.attempt(c.getHost(), c.getMappedPort(PORTAL));
            assertThat(a).isEqualTo(new DiscoveryLogin.Answer(DiscoveryLogin.LOGIN_RESPONSE, true, 0, 1, 0, 0));

            assertThat(c.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");

            DockerClient docker = c.getDockerClient();
            docker.stopContainerCmd(c.getContainerId()).withTimeout(30).exec();
            assertThat(docker.inspectContainerCmd(c.getContainerId()).exec().getState().getExitCodeLong())
                    .as("the JVM ended by SIGTERM after its shutdown hook").isEqualTo(143L);
        }
    }
}
