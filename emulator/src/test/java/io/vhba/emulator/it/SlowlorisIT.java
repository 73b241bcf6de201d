package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.limits.Limit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris: 1,000 connections that each send half a Login Request header (24 of its 48 bytes) and wait. Meanwhile
 * real initiators (iscsi-inq and a short fio verify run) log in and do I/O; afterwards every one of the 1,000 has
 * been closed. Once with room for all of them in login, so the login timeout closes them; once with the default
 * limit of logins in progress, so that each newcomer pushes the oldest waiting one out.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowlorisIT {
    private static final int CONNECTIONS = 1000;
    /** Long enough for 1,000 connects on a busy 2-core machine, short enough to keep the test short. */
    private static final int LOGIN_TIMEOUT_SECONDS = 10;

    private static TestTarget start(String limits) throws IOException {
        LimitsConfig l = new ObjectMapper(new YAMLFactory()).readValue(limits, LimitsConfig.class);
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, "64M", 512, false, true, false, null))))).withLimits(l));
    }

    /** Each connection takes two descriptors in this JVM (ours and the target's): skip rather than fail on a low ulimit. */
    private static void requireDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
            assumeTrue(free > 2L * CONNECTIONS + 256, "ulimit -n leaves " + free + " file descriptors; "
                    + (2 * CONNECTIONS + 256) + " are needed for " + CONNECTIONS + " connections; skipping");
        }
    }

    private static List<Socket> halfHeaders(TestTarget t) throws IOException {
        List<Socket> sockets = new ArrayList<>(CONNECTIONS);
        byte[] half = new byte[24];
        half[0] = 0x43; // immediate Login Request
        half[1] = (byte) 0x87; // T=1, CSG 1, NSG 3
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.connect(new InetSocketAddress("127.0.0.1", t.port()), 10_000);
            try {
                s.getOutputStream().write(half);
            } catch (IOException e) {
                // already pushed out by a newer connection (default limits): that is the point
            }
        }
        return sockets;
    }

    /** iscsi-inq and a short fio verify run against the target: both must log in and finish their I/O. */
    private static void realInitiatorsWork(TestTarget t) {
        CompletableFuture<Fio.Run> fio = CompletableFuture.supplyAsync(() -> Fio.run(60, t.url(), "--rw=randwrite",
                "--bs=4k", "--iodepth=8", "--size=8m", "--verify=crc32c", "--verify_fatal=1", "--time_based",
                "--runtime=2"));
        ProcessRun inq = ProcessRun.run(30, "iscsi-inq", t.url());
        assertThat(inq.exitCode()).as(inq.toString()).isZero();
        assertThat(inq.stdout()).contains("Vendor:VHBA");
        Fio.Run run = fio.join();
        assertThat(run.process().exitCode()).as(run.process().toString()).isZero();
        assertThat(run.error()).isZero();
        assertThat(run.writeBytes()).isPositive();
    }

    private static void assertAllClosed(List<Socket> sockets, long deadlineNanos) throws IOException {
        int open = 0;
        for (Socket s : sockets) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            s.setSoTimeout((int) Math.max(1, left));
            try {
                if (s.getInputStream().read() >= 0) {
                    open++; // the target never answers half a header
                }
            } catch (SocketTimeoutException e) {
                open++;
            } catch (IOException e) {
                // reset: closed
            } finally {
                s.close();
            }
        }
        assertThat(open).as("connections the target had not closed in time").isZero();
    }

    @Test
    void theLoginTimeoutClosesAThousandHalfHeadersWhileRealInitiatorsWork() throws IOException {
        Peers.require("iscsi-inq", "apt-get install libiscsi-bin");
        Fio.binary();
        requireDescriptors();
        try (TestTarget t = start("{loginTimeoutSeconds: " + LOGIN_TIMEOUT_SECONDS + ", maxLoginsInProgress: 5000,"
                + " maxLoginsInProgressPerPortal: 5000}")) {
            List<Socket> sockets = new ArrayList<>();
            try {
                long begin = System.nanoTime();
                sockets.addAll(halfHeaders(t));
                long opened = System.nanoTime();
                long openMillis = TimeUnit.NANOSECONDS.toMillis(opened - begin);
                long acceptDeadline = opened + TimeUnit.SECONDS.toNanos(5);
                while (t.vhba().loginsInProgress() < CONNECTIONS && System.nanoTime() < acceptDeadline) {
                    Thread.onSpinWait(); // accepting runs on the event loops, a little behind connect()
                }
                assertThat(t.vhba().loginsInProgress()).as("all of them wait in login at once (opened in %d ms)", openMillis)
                        .isEqualTo(CONNECTIONS);
                realInitiatorsWork(t);
                // The first ones were accepted before `opened`; the last must go LOGIN_TIMEOUT after it, plus slack.
                assertAllClosed(sockets, opened + TimeUnit.SECONDS.toNanos(LOGIN_TIMEOUT_SECONDS + 10));
                assertThat(t.vhba().limitEvents().count(Limit.LOGIN_TIMEOUT)).isGreaterThanOrEqualTo(CONNECTIONS);
                assertThat(t.vhba().loginsInProgress()).isZero();
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void withTheDefaultLimitsEachNewcomerPushesTheOldestWaitingConnectionOut() throws IOException {
        Peers.require("iscsi-inq", "apt-get install libiscsi-bin");
        Fio.binary();
        requireDescriptors();
        try (TestTarget t = start("{loginTimeoutSeconds: " + LOGIN_TIMEOUT_SECONDS + "}")) {
            List<Socket> sockets = new ArrayList<>();
            try {
                sockets.addAll(halfHeaders(t));
                long opened = System.nanoTime();
                assertThat(t.vhba().loginsInProgress()).as("at most the default per portal")
                        .isLessThanOrEqualTo((int) Limit.LOGINS_IN_PROGRESS_PER_PORTAL.defaultValue());
                realInitiatorsWork(t);
                assertAllClosed(sockets, opened + TimeUnit.SECONDS.toNanos(LOGIN_TIMEOUT_SECONDS + 10));
                assertThat(t.vhba().limitEvents().count(Limit.LOGINS_IN_PROGRESS_PER_PORTAL))
                        .isGreaterThanOrEqualTo(CONNECTIONS - Limit.LOGINS_IN_PROGRESS_PER_PORTAL.defaultValue());
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
