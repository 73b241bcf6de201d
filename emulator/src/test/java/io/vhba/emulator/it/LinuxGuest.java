package io.vhba.emulator.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's own Linux kernel, booted under QEMU with the initramfs that
 * {@code src/test/linux-guest/build-initramfs.sh} builds from the host's files.
 *
 * @param kernel    the vmlinuz to boot
 * @param initramfs the archive whose /init runs the iSCSI attach test
 * @param nic       the QEMU NIC model the guest has a driver for
 */
record LinuxGuest(Path kernel, Path initramfs, String nic) {
    /** Relative to the module directory, which is the working directory of Surefire and Failsafe. */
    static final Path SCRIPT = Path.of("src/test/linux-guest/build-initramfs.sh");
    private static final Path CACHE = Path.of("target", "linux-guest");

    /** How QEMU runs the guest: each accelerator with the CPU model that suits it. */
    enum Accelerator {
        /** Hardware virtualisation, when /dev/kvm works (often not in nested VMs). */
        KVM("kvm", "host"),
        /** Software emulation: slower, works everywhere. */
        TCG("tcg", "max");

        final String accel;
        final String cpu;

        Accelerator(String accel, String cpu) {
            this.accel = accel;
            this.cpu = cpu;
        }
    }

    /** The newest kernel version with both /boot/vmlinuz-VERSION and /lib/modules/VERSION/modules.dep. */
    static Optional<String> newestKernelVersion() {
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            return boot.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmlinuz-"))
                    .map(n -> n.substring("vmlinuz-".length()))
                    .filter(v -> Files.isRegularFile(Path.of("/lib/modules", v, "modules.dep")))
                    .max(LinuxGuest::compareVersions);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Orders "6.1.0-56-amd64" style versions: digit runs by value, everything else as text. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean numeric = Character.isDigit(x[i].charAt(0)) && Character.isDigit(y[i].charAt(0));
            int c = numeric ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * The guest for kernel {@code version}: built once into target/linux-guest, keyed by the kernel
     * version and the script's digest, so a changed script rebuilds and a clean build starts over.
     */
    static LinuxGuest prepare(String version) {
        try {
            String key = version + "-" + HexFormat.of().formatHex(sha256(Files.readAllBytes(SCRIPT)), 0, 6);
            Path dir = CACHE.resolve(key);
            if (!Files.isRegularFile(dir.resolve("initramfs.cpio.gz"))) {
                Files.createDirectories(CACHE);
                Path work = Files.createTempDirectory(CACHE, key + ".building-");
                ProcessRun build = ProcessRun.run(300, "bash", SCRIPT.toString(), work.toString(), version);
                if (build.exitCode() != 0) {
                    throw new IllegalStateException("build-initramfs.sh failed: " + build);
                }
                try {
                    Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    // Another run built the same key first; its result is as good as ours.
                    if (!Files.isRegularFile(dir.resolve("initramfs.cpio.gz"))) {
                        throw raced;
                    }
                }
            }
            return new LinuxGuest(Path.of(Files.readString(dir.resolve("kernel")).strip()),
                    dir.resolve("initramfs.cpio.gz").toAbsolutePath(), Files.readString(dir.resolve("nic")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * KVM when {@code VHBA_QEMU_ACCEL} says so, or when it is unset, /dev/kvm is usable and a probe
     * boot of {@code kernel} under KVM reaches its "no root filesystem" panic; TCG otherwise. The
     * probe is needed because nested KVM can open fine and then abort on an MSR or hang.
     */
    static Accelerator accelerator(Path qemu, Path kernel) {
        String forced = System.getenv("VHBA_QEMU_ACCEL");
        if (forced != null && !forced.isEmpty()) {
            return Accelerator.valueOf(forced.toUpperCase(java.util.Locale.ROOT));
        }
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return Accelerator.TCG;
        }
        ProcessRun probe = ProcessRun.run(30, qemu.toString(), "-accel", "kvm", "-cpu", Accelerator.KVM.cpu, "-m", "256",
                "-nographic", "-nodefaults", "-serial", "stdio", "-no-reboot", "-kernel", kernel.toString(),
                "-append", "console=ttyS0 panic=-1");
        return probe.exitCode() == 0 && probe.stdout().contains("Kernel panic") ? Accelerator.KVM : Accelerator.TCG;
    }

    /**
     * The QEMU command line. User-mode networking (slirp) keeps everything on loopback: the guest
     * reaches the host's 127.0.0.1:PORT as 10.0.2.2:PORT. {@code romfile=} skips the NIC's PXE ROM.
     */
    List<String> command(Path qemu, Accelerator a, int port, String targetIqn, int guestDeadlineSeconds) {
        return command(qemu, a, port, targetIqn, guestDeadlineSeconds, "ext4");
    }

    /** As above, with the guest's {@code vhba.mode} (ext4 or medium-error). */
    List<String> command(Path qemu, Accelerator a, int port, String targetIqn, int guestDeadlineSeconds, String mode) {
        List<String> c = new ArrayList<>(List.of(qemu.toString(), "-accel", a.accel, "-cpu", a.cpu, "-smp", "1", "-m", "512",
                "-nographic", "-nodefaults", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initramfs.toString(),
                "-append", "console=ttyS0 panic=-1 vhba.portal=10.0.2.2:" + port + " vhba.target=" + targetIqn
                        + " vhba.deadline=" + guestDeadlineSeconds + " vhba.mode=" + mode,
                "-netdev", "user,id=n0", "-device", nic + ",netdev=n0,romfile="));
        return c;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The guest's pattern file: {@code seq -w 0 N-1} with N = mib * 131072, i.e. "%07d\n" per 8 bytes. */
    static byte[] pattern(int mib) {
        int lines = mib * 131072;
        byte[] b = new byte[lines * 8];
        for (int i = 0; i < lines; i++) {
            int v = i;
            for (int d = 6; d >= 0; d--) {
                b[i * 8 + d] = (byte) ('0' + v % 10);
                v /= 10;
            }
            b[i * 8 + 7] = '\n';
        }
        return b;
    }
}
