package io.vhba.docker;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' own checker (Debian's prometheus package). A test that needs it is skipped when it is
 * missing, and fails instead under {@code VHBA_REQUIRE_PEERS=1} (CI).
 */
final class Promtool {
    private Promtool() {}

    static Path require() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, "promtool");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String msg = "promtool not found on PATH (apt-get install prometheus)";
        if ("1".equals(System.getenv("VHBA_REQUIRE_PEERS"))) {
            fail(msg + "; VHBA_REQUIRE_PEERS=1 makes this a failure");
        }
        assumeTrue(false, msg + "; skipping");
        return null;
    }

    /** {@code promtool ARGS...}, to completion. */
    static Scripts.Finished run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        return Scripts.run(Map.of(), 60, command);
    }
}
