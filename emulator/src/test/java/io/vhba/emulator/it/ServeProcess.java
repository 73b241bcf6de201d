package io.vhba.emulator.it;

import io.vhba.emulator.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vhba serve} in a process of its own, as a user starts it: real argv, a real environment, logs on standard
 * error (with the production logging configuration), the URLs on standard output. Closing it sends SIGTERM.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("iscsi://127\\.0\\.0\\.1:(\\d+)/(\\S+)/(\\d+)");

    private final Process process;
    private final Path stderr;
    private final List<String> urls = new ArrayList<>();
    private final int port;

    private ServeProcess(Process process, Path stderr) throws IOException {
        this.process = process;
        this.stderr = stderr;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // the first URL: printed once every portal is bound
        if (line == null) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("serve ended without a URL (exit " + process.exitValue() + "):\n"
                    + Files.readString(stderr));
        }
        urls.add(line);
        Matcher m = URL.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException("not a URL on standard output: " + line);
        }
        port = Integer.parseInt(m.group(1));
    }

    /** Starts {@code serve args} on 127.0.0.1 and an ephemeral port, with {@code env} added to the environment. */
    static ServeProcess start(Map<String, String> env, String... args) throws IOException {
        Path classes;
        try {
            classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + classes.resolve("logback.xml"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--listen", "127.0.0.1:0", "--processors", "2", "--size", "64M"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("vhba-serve", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("VHBA_CHAP") || k.startsWith("VHBA_MUTUAL"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            return new ServeProcess(p, err);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    String portalUrl() {
        return "iscsi://127.0.0.1:" + port;
    }

    /** What the process logged so far. */
    String log() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroy(); // SIGTERM: the clean shutdown
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Deletes the log file (call after the last {@link #log()}). */
    void deleteLog() throws IOException {
        Files.deleteIfExists(stderr);
    }
}
