package io.vhba.emulator.fuzz;

import io.netty.channel.local.LocalAddress;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.storport.AdapterCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The in-process target the login and full-feature fuzzers hit: a real {@link Vhba} (mailbox miniport,
 * RAM disks) with two targets, served on loopback TCP and on an in-VM address. The fuzzers use
 * {@link #FUZZ_IQN} through the in-VM address; {@link #PROBE_IQN} is left to a real initiator
 * ({@code iscsi-inq}, see bench/fuzz.sh), so that a fuzzed TARGET COLD RESET, which ends every session
 * of its own target, cannot fail a probe. One per JVM, started on first use.
 *
 * <p>With the system property {@code vhba.fuzz.portalFile} set, the TCP port is written to that file.
 */
public final class FuzzTarget {
    public static final String FUZZ_IQN = "iqn.2026-11.io.vhba.fuzz:target";
    public static final String PROBE_IQN = "iqn.2026-11.io.vhba.fuzz:probe";

    private static FuzzTarget instance;

    private final Vhba vhba;
    private final LocalAddress inVm;

    private FuzzTarget() {
        // 2 processors (the machine has 2 cores), 256 MiB host memory: enough for MaxBurstLength-sized
        // buffers of many commands at once, small enough that a leak exhausts it soon.
        vhba = Vhba.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null, List.of(
                        new TargetConfig(FUZZ_IQN, "fuzz", null, List.of(
                                new LunConfig(0, "64M", 512, false, true, false, null),
                                new LunConfig(1, "16M", 4096, false, true, false, null))),
                        new TargetConfig(PROBE_IQN, "probe", null, List.of(
                                new LunConfig(0, "16M", 512, false, true, false, null))))));
        inVm = vhba.serveInVm(new LocalAddress("vhba-fuzz-" + ProcessHandle.current().pid()));
        String portalFile = System.getProperty("vhba.fuzz.portalFile");
        if (portalFile != null) {
            try {
                Files.writeString(Path.of(portalFile), Integer.toString(port()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (portalFile != null) {
                // first, so that bench/fuzz.sh stops probing a target that is going away
                Path.of(portalFile).toFile().delete();
            }
            vhba.close();
        }, "fuzz-target-close"));
    }

    public static synchronized FuzzTarget get() {
        if (instance == null) {
            instance = new FuzzTarget();
        }
        return instance;
    }

    public Vhba vhba() {
        return vhba;
    }

    public LocalAddress inVmAddress() {
        return inVm;
    }

    public int port() {
        return vhba.portals().get(0).getPort();
    }

    /** Sessions of the fuzzed target (the probe's are not counted). */
    public long fuzzSessions() {
        return vhba.sessions().sessions().stream()
                .filter(s -> s.target() == null || s.target().name().equals(FUZZ_IQN)).count();
    }

    /**
     * What the fuzzed target's adapter and host memory hold: SRBs the port holds (submitted and not yet
     * returned; task management SRBs are returned without being submitted, so this may drop below its
     * earlier value, never rise above it once I/O is over), SRBs the miniport holds (HwStorStartIo calls not
     * yet answered by RequestComplete, busy requeues aside), and pages of I/O buffers and pool.
     */
    public record Held(long portSrbs, long miniportSrbs, long dataPages) {
        /** Whether nothing is held beyond {@code before}. */
        boolean within(Held before) {
            return portSrbs <= before.portSrbs && miniportSrbs <= before.miniportSrbs && dataPages <= before.dataPages;
        }

        @Override
        public String toString() {
            return portSrbs + " SRB(s) in the port, " + miniportSrbs + " in the miniport, " + dataPages + " data page(s)";
        }
    }

    public Held held() {
        AdapterCounters c = vhba.engine().adapters().get(0).counters();
        long miniport = c.startIoCalls() - c.busyRequeues() - c.requestCompletes();
        return new Held(c.submitted() - c.returned(), miniport, dataPages());
    }

    /** Host memory pages of I/O buffers and pool now allocated. */
    public long dataPages() {
        return vhba.engine().hostMemory().scatteredPagesAllocated();
    }

    /**
     * Waits until no session of the fuzzed target is left and its adapter and host memory hold no more than
     * {@code before} (taken before the connection); returns what is still held, or null once all is back.
     * The wait covers commands still completing on other processors.
     */
    public String awaitQuiet(Held before, long timeout, TimeUnit unit) {
        long end = System.nanoTime() + unit.toNanos(timeout);
        long sleepNanos = 0;
        while (true) {
            long sessions = fuzzSessions();
            Held now = held();
            if (sessions == 0 && now.within(before)) {
                return null;
            }
            if (System.nanoTime() > end) {
                return sessions + " session(s); " + now + " against " + before + " before the connection";
            }
            if (sleepNanos == 0) {
                Thread.onSpinWait();
                sleepNanos = 10_000;
            } else {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleepNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
                sleepNanos = Math.min(sleepNanos * 2, 5_000_000);
            }
        }
    }
}
