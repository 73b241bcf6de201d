package io.vhba.emulator.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Third-party peer tools for integration tests. A missing tool skips the test with a clear
 * message, unless {@code VHBA_REQUIRE_PEERS=1} (CI), where it fails it.
 */
public final class Peers {
    private Peers() {}

    public static boolean required() {
        return "1".equals(System.getenv("VHBA_REQUIRE_PEERS"));
    }

    /** The path of {@code tool} on PATH, or the test is skipped (or failed when peers are required). */
    public static Path require(String tool, String installHint) {
        Path p = find(tool);
        if (p == null) {
            String msg = tool + " not found on PATH (" + installHint + ")";
            if (required()) {
                fail(msg + "; VHBA_REQUIRE_PEERS=1 makes this a failure");
            }
            assumeTrue(false, msg + "; skipping");
        }
        return p;
    }

    /** An executable at an explicit location (or from an environment variable), with the same policy. */
    public static Path requireFile(String envVar, String defaultPath, String installHint) {
        String v = System.getenv(envVar);
        Path p = Path.of(v == null || v.isEmpty() ? defaultPath : v);
        if (!Files.isExecutable(p)) {
            String msg = p + " not found (" + installHint + "; or set " + envVar + ")";
            if (required()) {
                fail(msg + "; VHBA_REQUIRE_PEERS=1 makes this a failure");
            }
            assumeTrue(false, msg + "; skipping");
        }
        return p;
    }

    public static Path find(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
