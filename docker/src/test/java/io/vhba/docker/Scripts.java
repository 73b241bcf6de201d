package io.vhba.docker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the module's shell scripts as a container would: with a controlled set of VHBA_* variables. */
final class Scripts {

    private Scripts() {}

    /** What a finished script left behind. */
    record Finished(long pid, int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "pid " + pid + ", exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * A process builder whose environment is this JVM's without any VHBA_* variable, plus {@code env}
     * (so a developer's own VHBA_LOG_LEVEL cannot change what a test sees). Standard input is empty.
     */
    static ProcessBuilder builder(Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("VHBA_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to completion; a script that outlives {@code timeoutSeconds} is killed and reported as a failure. */
    static Finished run(Map<String, String> env, long timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("vhba-script", ".out");
            Path err = Files.createTempFile("vhba-script", ".err");
            try {
                Process p = builder(env, command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
                }
                return new Finished(p.pid(), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
