package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RAM disks against the heap of the real jar (issue 11, item 3): on a JVM with a 4 GiB heap a thin 64 GiB RAM disk
 * starts (its chunks come as they are written, and it warns how much it can hold), while a thick one is refused at
 * start with one line naming the numbers and exit status 2.
 */
class RamDiskHeapIT {

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g", "-XX:TieredStopAtLevel=1", "-jar", ChildTarget.jar().toString(), "serve", "--listen", "127.0.0.1:0"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void aThinRamDiskLargerThanTheHeapStartsAndSaysHowMuchItCanHold(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("serve.log");
        Process p = new ProcessBuilder(java("--size", "64G")).redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("iscsi://")) {
                            return line;
                        }
                    }
                } catch (IOException e) {
                    // reported below as no URL
                }
                return "";
            });
            assertThat(url.get(60, TimeUnit.SECONDS)).as(() -> readQuietly(log)).startsWith("iscsi://127.0.0.1:");
            assertThat(Files.readString(log)).contains("a thin RAM disk of 64.0 GiB can hold at most", "(max heap 4.0 GiB)",
                    "SPACE ALLOCATION FAILED WRITE PROTECT");
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).as("exit status after SIGTERM").isIn(0, 143); // 128 + SIGTERM: the JVM ran its shutdown hook
    }

    @Test
    void aThickRamDiskLargerThanTheHeapIsRefusedWithOneLineNamingTheNumbers(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("serve.log");
        Process p = new ProcessBuilder(java("--lun", "0,size=64G,thick")).redirectError(log.toFile())
                .redirectOutput(dir.resolve("serve.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        List<String> errors = Files.readAllLines(log).stream().filter(l -> l.startsWith("vhba: ")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).startsWith("vhba: error: iqn.2026-11.io.vhba:disk0 LUN 0: a thick RAM disk of 64.0 GiB")
                .contains("of heap left for RAM disks (max heap 4.0 GiB,").contains("-Xmx");
        assertThat(Files.readString(dir.resolve("serve.out"))).doesNotContain("iscsi://");
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
