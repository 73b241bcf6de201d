package io.vhba.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What VhbaContainer hands Docker, fed to the image's real entry point (docker/entrypoint.sh) with a fake
 * {@code java}: the container's settings must become the serve flags it means, and no secret an argument.
 */
class EntrypointContractTest {
    private static final String SECRET = "chap-secret-0123";

    @TempDir
    Path tmp;

    /** The argv the entry point would exec java with, given the container's environment and arguments. */
    private List<String> argv(VhbaContainer c) throws Exception {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("/bin/sh", Repository.entrypoint().toString()));
        command.addAll(List.of(c.getCommandParts()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("VHBA_"));
        pb.environment().putAll(c.getEnvMap());
        pb.environment().put("PATH", tmp + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return out.lines().toList();
    }

    @Test
    void theContainersSettingsBecomeServeFlagsAndTheApiListensOnAllInterfaces() throws Exception {
        try (VhbaContainer c = new VhbaContainer().withLun(0, "64M").withLun(1, "16M", 4096)
                .withFault("medium-error,lun=0,lba=2048-2055").withMiniport("virtual").withIqn("iqn.2026-11.io.vhba.test:tc")
                .withChap("host1", SECRET)) {
            List<String> argv = argv(c);
            assertThat(argv.subList(argv.indexOf("serve") + 1, argv.size())).containsExactly(
                    "--listen", "0.0.0.0:3260",
                    "--iqn", "iqn.2026-11.io.vhba.test:tc", "--miniport", "virtual",
                    "--chap-user", "host1", "--chap-secret-file", VhbaContainer.CHAP_SECRET_FILE,
                    "--http", "0.0.0.0:9260",
                    "--lun", "0,size=64M", "--lun", "1,size=16M,block-size=4096",
                    "--fault", "medium-error,lun=0,lba=2048-2055");
            assertThat(argv).noneMatch(a -> a.contains(c.getHttpToken()) || a.contains(SECRET));
        }
    }
}
