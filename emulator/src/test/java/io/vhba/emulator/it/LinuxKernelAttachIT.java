package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.storport.AdapterCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Linux kernel (the host's own, under QEMU) logs in to vHBA with open-iscsi's
 * {@code iscsistart}, lets its sd driver attach the LUN, makes ext4 on it, writes files, remounts and
 * reads them back. The guest's verdict comes from its console; the target's side is checked through
 * the adapter's counters and, after shutdown, by reading the filesystem out of the backing file.
 */
class LinuxKernelAttachIT {
    private static final String SIZE = "256M";
    private static final long SECTORS = 256L * 1024 * 1024 / 512;
    private static final int PATTERN_MIB = 8;
    /** /init's own bound on all its steps; QEMU's is a minute longer so the guest's verdict wins. */
    private static final int GUEST_DEADLINE_SECONDS = 420;
    private static final int QEMU_TIMEOUT_SECONDS = 480;
    private static final Pattern VERDICT = Pattern.compile("^VHBA-GUEST-RESULT (PASS|FAIL) (.*)$", Pattern.MULTILINE);

    @Test
    void linuxSdDriverAttachesFormatsExt4AndReadsFilesBack(@TempDir Path tmp) throws IOException {
        Guest g = guest();
        Path qemu = g.qemu();
        LinuxGuest guest = g.guest();
        LinuxGuest.Accelerator accel = g.accel();
        Path e2fsck = sbin("e2fsck", "apt-get install e2fsprogs");
        Path debugfs = sbin("debugfs", "apt-get install e2fsprogs");
        String version = g.version();

        Path image = tmp.resolve("disk.img");
        long started = System.nanoTime();
        try (TestTarget target = TestTarget.start(fileBacked(image))) {
            AdapterCounters counters = target.adapter().counters();
            long before = counters.requestCompletes();
            ProcessRun run = ProcessRun.run(QEMU_TIMEOUT_SECONDS,
                    guest.command(qemu, accel, target.port(), TestTarget.IQN, GUEST_DEADLINE_SECONDS));
            String console = run.stdout();
            Files.createDirectories(Path.of("target", "linux-guest"));
            Files.writeString(Path.of("target", "linux-guest", "last-console.log"), console + "\n--- qemu stderr\n" + run.stderr());
            String context = "guest (" + accel + ", " + guest.kernel() + ") " + (run.timedOut() ? "timed out" : "exit " + run.exitCode())
                    + "; qemu stderr: " + run.stderr().strip() + "\n--- last 200 console lines ---\n" + tail(console, 200);

            Matcher verdict = VERDICT.matcher(console);
            assertThat(verdict.find()).as("a VHBA-GUEST-RESULT line from %s", context).isTrue();
            assertThat(verdict.group(1)).as("the guest's verdict: %s\n%s", verdict.group(2), context).isEqualTo("PASS");
            assertThat(run.timedOut()).as(context).isFalse();
            assertThat(run.exitCode()).as(context).isZero();

            // The guest read the pattern back after a remount with caches dropped; it must be the known pattern.
            String expectedSha = HexFormat.of().formatHex(LinuxGuest.sha256(LinuxGuest.pattern(PATTERN_MIB)));
            assertThat(verdict.group(2)).as(context)
                    .contains("sectors=" + SECTORS, "files=18", "pattern_mib=" + PATTERN_MIB, "pattern_sha256=" + expectedSha);

            // The sd driver's probe, as the guest kernel logged it: INQUIRY, READ CAPACITY, MODE SENSE, attach.
            assertThat(console).as(context)
                    .containsPattern("scsi \\d+:0:0:0: Direct-Access +VHBA +vHBA disk")
                    .containsPattern("sd \\d+:0:0:0: \\[sd[a-z]+\\] " + SECTORS + " 512-byte logical blocks: \\(268 MB/256 MiB\\)")
                    .containsPattern("sd \\d+:0:0:0: \\[sd[a-z]+\\] Write Protect is off")
                    .containsPattern("sd \\d+:0:0:0: \\[sd[a-z]+\\] Attached SCSI disk")
                    .containsPattern("EXT4-fs \\(sd[a-z]+\\): mounted filesystem");

            // Every one of those commands, and mkfs's and the files' writes, went through the miniport.
            long completed = counters.requestCompletes() - before;
            assertThat(completed).as("SRBs the miniport completed during the guest run; %s", context).isGreaterThan(200);
            assertThat(counters.startIoCalls()).as(context).isGreaterThanOrEqualTo(completed);
            assertThat(counters.loggedErrors()).as("miniport-logged errors; %s", context).isZero();
            assertThat(target.interruptsDelivered()).isGreaterThan(200);
            System.out.printf("Linux guest (%s): %.1f s, %d SRBs completed by the miniport, %d interrupts%n",
                    accel, (System.nanoTime() - started) / 1e9, completed, target.interruptsDelivered());
        }

        // After the target shut down (its file store flushed), the host reads the guest's filesystem
        // out of the backing file on its own: consistent, and holding the pattern the guest wrote.
        ProcessRun fsck = ProcessRun.run(120, e2fsck.toString(), "-f", "-n", image.toString());
        assertThat(fsck.exitCode()).as("e2fsck -fn of the LUN's backing file: %s", fsck).isZero();
        Path pattern = tmp.resolve("pattern.bin");
        ProcessRun dump = ProcessRun.run(120, debugfs.toString(), "-R", "dump /pattern.bin " + pattern, image.toString());
        assertThat(pattern).as("debugfs dump: %s", dump).exists();
        assertThat(Arrays.equals(Files.readAllBytes(pattern), LinuxGuest.pattern(PATTERN_MIB)))
                .as("/pattern.bin as stored in the backing file equals the pattern").isTrue();
        ProcessRun hello = ProcessRun.run(60, debugfs.toString(), "-R", "cat /hello.txt", image.toString());
        assertThat(hello.stdout()).as("%s", hello).contains("written by Linux " + version + " through vHBA");
    }

    /**
     * A medium error injected at LBAs 2048-2055 reaches the guest kernel's sd driver: a 16-block
     * read from LBA 2040 fails, and the kernel names sector 2048, the sense INFORMATION field: sd
     * completes the 8 good blocks the target returned in front of it and fails the rest from
     * there. Reads either side succeed.
     */
    @Test
    void aMediumErrorReachesTheKernelWithTheLbaFromTheSenseInformationField() {
        Guest g = guest();
        try (TestTarget target = TestTarget.start("64M", 512)) {
            target.vhba().faults().inject("medium-error,lun=0,lba=2048-2055");
            ProcessRun run = ProcessRun.run(QEMU_TIMEOUT_SECONDS, g.guest().command(g.qemu(), g.accel(), target.port(),
                    TestTarget.IQN, GUEST_DEADLINE_SECONDS, "medium-error"));
            String console = run.stdout();
            String context = "guest " + (run.timedOut() ? "timed out" : "exit " + run.exitCode())
                    + "\n--- last 120 console lines ---\n" + tail(console, 120);
            Matcher verdict = VERDICT.matcher(console);
            assertThat(verdict.find()).as("a VHBA-GUEST-RESULT line from %s", context).isTrue();
            assertThat(verdict.group(1)).as("the guest's verdict: %s\n%s", verdict.group(2), context).isEqualTo("PASS");
            assertThat(verdict.group(2)).contains("lba0=ok", "lba2040=failed", "lba4096=ok");
            assertThat(console).as(context)
                    .containsPattern("Sense Key : Medium Error")
                    .containsPattern("Add\\. Sense: Unrecovered read error")
                    .containsPattern("critical medium error, dev sd[a-z]+, sector 2048 ");
            console.lines().filter(l -> l.contains("Sense") || l.contains("medium error") || l.contains("CDB:"))
                    .forEach(l -> System.out.println("guest: " + l.strip()));
        }
    }

    private record Guest(Path qemu, LinuxGuest guest, LinuxGuest.Accelerator accel, String version) {}

    /** The prerequisites of a guest run (a missing one skips, or fails under VHBA_REQUIRE_PEERS=1) and the guest. */
    private static Guest guest() {
        if (prepared == null) {
            prepared = prepareGuest(); // the initramfs and the accelerator probe, once per class
        }
        return prepared;
    }

    private static Guest prepared;

    private static Guest prepareGuest() {
        Path qemu = Peers.require("qemu-system-x86_64", "apt-get install qemu-system-x86");
        Peers.require("busybox", "apt-get install busybox-static");
        Peers.require("cpio", "apt-get install cpio");
        sbin("iscsistart", "apt-get install open-iscsi");
        sbin("mkfs.ext4", "apt-get install e2fsprogs");
        String version = LinuxGuest.newestKernelVersion().orElse(null);
        if (version == null) {
            missing("no /boot/vmlinuz-* with a matching /lib/modules/<version>/modules.dep (apt-get install linux-image-amd64)");
        }
        if (!Files.isReadable(Path.of("/boot/vmlinuz-" + version))) {
            missing("/boot/vmlinuz-" + version + " is not readable by this user (Ubuntu installs it 0600)");
        }
        LinuxGuest guest = LinuxGuest.prepare(version);
        LinuxGuest.Accelerator accel = LinuxGuest.accelerator(qemu, guest.kernel());
        return new Guest(qemu, guest, accel, version);
    }

    /** The target of {@link TestTarget#start(String, int)}, with its LUN in {@code image} so the host can read it afterwards. */
    private static VhbaConfig fileBacked(Path image) {
        return new VhbaConfig(List.of("127.0.0.1:0"), 2, "512M", "mailbox", new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, SIZE, 512, false, true, false, image.toString())))));
    }

    /** A system tool that may live outside a non-root user's PATH. */
    private static Path sbin(String tool, String installHint) {
        Path p = Peers.find(tool);
        if (p != null) {
            return p;
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        return Peers.requireFile("VHBA_" + tool.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), "/usr/sbin/" + tool, installHint);
    }

    /** The {@link Peers} policy for a missing prerequisite that is not a tool on PATH. */
    private static void missing(String what) {
        if (Peers.required()) {
            fail(what + "; VHBA_REQUIRE_PEERS=1 makes this a failure");
        }
        assumeTrue(false, what + "; skipping");
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
