package io.vhba.emulator.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code vhba.jar} in a JVM of its own ({@code java -jar vhba.jar serve ...}), for tests that must kill the
 * process: it listens on a port the OS picks and prints its URLs, one per LUN, which {@link #start} waits for.
 */
final class ChildTarget implements AutoCloseable {
    private final Process process;
    private final List<String> urls;
    private final Path stderr;

    private ChildTarget(Process process, List<String> urls, Path stderr) {
        this.process = process;
        this.urls = urls;
        this.stderr = stderr;
    }

    /** The jar the build packaged before the integration tests run. */
    static Path jar() {
        Path jar = Path.of("target", "vhba.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing: it is built in the package phase (mvn -pl emulator -am verify)");
        }
        return jar;
    }

    /** Starts {@code serve} with {@code args} and waits for the {@code luns} URLs; standard error goes to {@code log}. */
    static ChildTarget start(Path log, int luns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "serve",
                "--listen", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<List<String>> printed = CompletableFuture.supplyAsync(() -> {
            List<String> found = new ArrayList<>();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                for (String line; found.size() < luns && (line = out.readLine()) != null; ) {
                    if (line.startsWith("iscsi://")) {
                        found.add(line.trim());
                    }
                }
            } catch (IOException e) {
                // the process went away; reported below
            }
            return found;
        });
        List<String> urls;
        try {
            urls = printed.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            urls = List.of();
        }
        if (urls.size() < luns) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("vhba.jar did not print " + luns + " URLs (exit " + (p.isAlive() ? "none" : p.exitValue()) + "):\n"
                    + Files.readString(log));
        }
        return new ChildTarget(p, urls, log);
    }

    List<String> urls() {
        return urls;
    }

    int port() {
        return URI.create(urls.get(0)).getPort();
    }

    /** The target's IQN, from its first URL. */
    String iqn() {
        String path = URI.create(urls.get(0)).getPath();
        return path.substring(1, path.lastIndexOf('/'));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no close, nothing flushed that was not already. Returns the exit status (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail("the target survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** SIGTERM: the shutdown hook closes the target cleanly. Returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the target did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
