package io.vhba.emulator.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer tool with a hard deadline and captures what it printed. */
public record ProcessRun(int exitCode, String stdout, String stderr, boolean timedOut) {

    public static ProcessRun run(long timeoutSeconds, String... command) {
        return run(timeoutSeconds, List.of(command));
    }

    public static ProcessRun run(long timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("vhba-peer", ".out");
            Path err = Files.createTempFile("vhba-peer", ".err");
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String o = Files.readString(out, StandardCharsets.ISO_8859_1);
            String e = Files.readString(err, StandardCharsets.ISO_8859_1);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return new ProcessRun(done ? p.exitValue() : -1, o, e, !done);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + (timedOut ? " (timed out)" : "") + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
