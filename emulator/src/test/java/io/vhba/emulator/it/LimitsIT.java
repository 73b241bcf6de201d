package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.limits.Limit;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each limit against exhaustion, reached on purpose on the wire: the protocol's answer comes back, the hit is
 * counted, and another session keeps working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitsIT {
    private static final String OTHER = "iqn.2026-11.io.vhba.test:other";
    private static final String R2T_KEYS = "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0"
            + "InitialR2T=Yes\0ImmediateData=No\0MaxBurstLength=262144\0";
    private static final String IMMEDIATE_KEYS = "HeaderDigest=None\0DataDigest=None\0MaxRecvDataSegmentLength=65536\0"
            + "InitialR2T=No\0ImmediateData=Yes\0FirstBurstLength=262144\0";

    private static TestTarget start(LimitsConfig limits) {
        List<LunConfig> lun = List.of(new LunConfig(0, "16M", 512, false, true, false, null));
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null, lun), new TargetConfig(OTHER, "other", null, lun)))
                .withLimits(limits));
    }

    /** Limits as the configuration file gives them, e.g. {@code {maxSessions: 3}}; the others at their defaults. */
    private static LimitsConfig limits(String yaml) {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(yaml, LimitsConfig.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(yaml, e);
        }
    }

    private static WireInitiator session(TestTarget t, String initiator, String target, String keys) throws IOException {
        WireInitiator w = new WireInitiator(t.port());
        LoginResponse r = w.login(initiator, target, keys);
        assertThat(r.statusClass()).as("login of " + initiator + " to " + target).isZero();
        r.release();
        return w;
    }

    private static int loginStatus(TestTarget t, String initiator, String target) throws IOException {
        try (WireInitiator w = new WireInitiator(t.port())) {
            LoginResponse r = w.login(initiator, target);
            int status = r.statusClass() << 8 | r.statusDetail();
            r.release();
            return status;
        }
    }

    /** A session that still does I/O: a write read back. */
    private static void assertWorks(WireInitiator w, int lba) throws IOException {
        w.command(new byte[6], null, 0); // takes the power-on unit attention if still pending
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) lba);
        byte[] write = {0x2A, 0, 0, 0, 0, (byte) lba, 0, 0, 1, 0};
        assertThat(w.command(write, data, 0).status()).isZero();
        assertThat(w.command(WireInitiator.read10(lba, 1), null, 512).data()).isEqualTo(data);
    }

    @Test
    void sessionsBeyondTheLimitsAreRefusedWithOutOfResources() throws IOException {
        try (TestTarget t = start(limits("{maxSessions: 3, maxSessionsPerTarget: 2}"));
             WireInitiator a = session(t, "iqn.2026-12.test:a", TestTarget.IQN, "");
             WireInitiator b = session(t, "iqn.2026-12.test:b", TestTarget.IQN, "")) {
            // RFC 7143 §11.13.5: 0x0302, "insufficient session, connection, or other resources"
            assertThat(loginStatus(t, "iqn.2026-12.test:c", TestTarget.IQN)).isEqualTo(0x0302);
            try (WireInitiator c = session(t, "iqn.2026-12.test:c", OTHER, "")) {
                assertThat(loginStatus(t, "iqn.2026-12.test:d", OTHER)).as("three sessions in total").isEqualTo(0x0302);
                assertWorks(a, 1);
                assertWorks(c, 2);
            }
            waitForSessions(t, 2);
            assertThat(loginStatus(t, "iqn.2026-12.test:d", OTHER)).as("room again once one ended").isZero();
            assertThat(t.vhba().limitEvents().count(Limit.SESSIONS_PER_TARGET)).isEqualTo(1);
            assertThat(t.vhba().limitEvents().count(Limit.SESSIONS)).isEqualTo(1);
            assertThat(t.vhba().scrape()).contains("vhba_limits_reached_total{limit=\"maxSessions\"} 1.0");
        }
    }

    @Test
    void aSecondConnectionToASessionIsRefusedWithTooManyConnections() throws IOException {
        try (TestTarget t = start(LimitsConfig.defaults()); WireInitiator first = new WireInitiator(t.port())) {
            LoginResponse r = first.login("iqn.2026-12.test:mc", TestTarget.IQN);
            int tsih = r.tsih();
            r.release();
            try (WireInitiator second = new WireInitiator(t.port())) {
                String text = "InitiatorName=iqn.2026-12.test:mc\0TargetName=" + TestTarget.IQN + "\0SessionType=Normal\0";
                second.send(new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000001L, tsih, 7, 2, 1, 0,
                        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
                LoginResponse refused = (LoginResponse) second.receive();
                if (refused.statusClass() == 0 && !refused.transit()) {
                    refused.release(); // the target declared its keys first: answer with an empty final request
                    second.send(new LoginRequest(true, false, 1, 3, 0, 0, 0x23D000000001L, tsih, 7, 2, 1, 0,
                            Unpooled.EMPTY_BUFFER));
                    refused = (LoginResponse) second.receive();
                }
                assertThat(refused.statusClass() << 8 | refused.statusDetail()).isEqualTo(0x0206);
                refused.release();
            }
            assertWorks(first, 3);
            assertThat(t.vhba().limitEvents().count(Limit.CONNECTIONS_PER_SESSION)).isEqualTo(1);
        }
    }

    @Test
    void writesHoldingMoreThanTheSessionsHostMemoryGetTaskSetFull() throws IOException {
        try (TestTarget t = start(limits("{sessionHostMemory: 1M}"));
             WireInitiator greedy = session(t, "iqn.2026-12.test:greedy", TestTarget.IQN, R2T_KEYS);
             WireInitiator other = session(t, "iqn.2026-12.test:other", TestTarget.IQN, "")) {
            greedy.command(new byte[6], null, 0);
            List<R2T> r2ts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                greedy.send(write(greedy, 512L * i, 512)); // 256 KiB each, no data yet: each holds its buffer
                r2ts.add((R2T) greedy.receive());
            }
            ScsiCommand fifth = write(greedy, 4096, 512);
            int fifthItt = fifth.itt();
            greedy.send(fifth);
            ScsiResponse full = (ScsiResponse) greedy.receive();
            assertThat(full.itt()).isEqualTo(fifthItt);
            assertThat(full.status()).as("TASK SET FULL (SAM-5 5.3.1)").isEqualTo(0x28);
            full.release();
            assertWorks(other, 9);
            long before = t.vhba().hostMemory().allocatedPages();
            for (R2T r : r2ts) {
                greedy.send(new DataOut(true, 0, r.itt(), r.ttt(), 0, 0, 0, Unpooled.wrappedBuffer(new byte[256 << 10])));
                ScsiResponse done = (ScsiResponse) greedy.receive();
                assertThat(done.status()).isZero();
                done.release();
            }
            assertThat(t.vhba().hostMemory().allocatedPages()).as("the buffers went back").isLessThan(before - 200);
            greedy.send(write(greedy, 4096, 512));
            assertThat(((R2T) greedy.receive()).desiredDataTransferLength()).as("room again").isEqualTo(256 << 10);
            assertThat(t.vhba().limitEvents().count(Limit.SESSION_HOST_MEMORY)).isEqualTo(1);
        }
    }

    @Test
    void theSessionsR2tLimitMakesFurtherR2tsWaitForEarlierBursts() throws IOException {
        try (TestTarget t = start(limits("{maxOutstandingR2tPerSession: 2}"));
             WireInitiator w = session(t, "iqn.2026-12.test:r2t", TestTarget.IQN, R2T_KEYS)) {
            w.command(new byte[6], null, 0);
            for (int i = 0; i < 3; i++) {
                w.send(write(w, 128L * i, 128)); // 64 KiB each: one R2T each
            }
            R2T first = (R2T) w.receive();
            R2T second = (R2T) w.receive();
            w.setReceiveTimeout(500);
            assertThat(silent(w)).as("a third R2T would exceed the session's two").isTrue();
            w.setReceiveTimeout(5000);
            w.send(new DataOut(true, 0, first.itt(), first.ttt(), 0, 0, 0, Unpooled.wrappedBuffer(new byte[64 << 10])));
            List<Object> next = List.of(w.receive(), w.receive());
            R2T third = (R2T) next.stream().filter(p -> p instanceof R2T).findFirst().orElseThrow();
            assertThat(next).anyMatch(p -> p instanceof ScsiResponse s && s.itt() == first.itt() && s.status() == 0);
            for (R2T r : List.of(second, third)) {
                w.send(new DataOut(true, 0, r.itt(), r.ttt(), 0, 0, 0, Unpooled.wrappedBuffer(new byte[64 << 10])));
                assertThat(((ScsiResponse) w.receive()).status()).isZero();
            }
            assertThat(t.vhba().limitEvents().count(Limit.SESSION_OUTSTANDING_R2T)).isEqualTo(1);
            assertThat(w.command(WireInitiator.read10(0, 1), null, 512).status()).as("the session carries on").isZero();
        }
    }

    @Test
    void tooMuchImmediateDataParkedBehindACmdSnGapClosesTheConnection() throws IOException {
        try (TestTarget t = start(limits("{sessionQueuedCommandData: 1M}"));
             WireInitiator w = session(t, "iqn.2026-12.test:gap", TestTarget.IQN, IMMEDIATE_KEYS);
             WireInitiator other = session(t, "iqn.2026-12.test:other", TestTarget.IQN, "")) {
            int gap = w.nextCmdSn(); // never sent
            for (int i = 1; i <= 5; i++) {
                byte[] cdb = Arrays.copyOf(new byte[] {0x2A, 0, 0, 0, 0, 0, 0, 2, 0, 0}, 16);
                w.send(new ScsiCommand(false, true, false, true, 1, 0, w.nextItt(), 256 << 10, gap + i, 0, cdb, -1,
                        Unpooled.wrappedBuffer(new byte[256 << 10])));
            }
            assertThat(w.awaitClose()).as("the fifth 256 KiB command exceeds 1 MiB").isTrue();
            assertThat(t.vhba().limitEvents().count(Limit.SESSION_QUEUED_COMMAND_DATA)).isEqualTo(1);
            assertWorks(other, 30);
        }
    }

    @Test
    void aConnectionThatSendsHalfAHeaderOrNothingIsClosedAtTheLoginTimeout() throws IOException {
        try (TestTarget t = start(limits("{loginTimeoutSeconds: 1}"));
             Socket half = connect(t); Socket silent = connect(t)) {
            half.getOutputStream().write(new byte[24]); // half a BHS: opcode 0x00... and then nothing
            long start = System.nanoTime();
            assertThat(closedWithin(half, 5000)).isTrue();
            assertThat(closedWithin(silent, 5000)).isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).as("closed by the 1 s login timeout").isBetween(500L, 4000L);
            assertThat(t.vhba().limitEvents().count(Limit.LOGIN_TIMEOUT)).isEqualTo(2);
            try (WireInitiator w = session(t, "iqn.2026-12.test:ok", TestTarget.IQN, "")) {
                assertWorks(w, 40);
            }
        }
    }

    @Test
    void pastTheLoginsInProgressLimitTheOldestWaitingConnectionMakesRoom() throws IOException {
        try (TestTarget t = start(limits("{maxLoginsInProgressPerPortal: 4, loginTimeoutSeconds: 60}"))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    idle.add(connect(t));
                    waitForLogins(t, i + 1);
                }
                try (WireInitiator w = session(t, "iqn.2026-12.test:real", TestTarget.IQN, "")) {
                    assertWorks(w, 50);
                }
                assertThat(closedWithin(idle.get(0), 5000)).as("the oldest idle connection was closed").isTrue();
                for (Socket s : idle.subList(1, 4)) {
                    assertThat(closedWithin(s, 200)).as("the others wait for their timeout").isFalse();
                }
                assertThat(t.vhba().limitEvents().count(Limit.LOGINS_IN_PROGRESS_PER_PORTAL)).isEqualTo(1);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    /** Waits until the target has ended the sessions of closed connections (asynchronous). */
    @Test
    void aLoginWithMoreKeysThanMaxTextPairsFailsAsAnInitiatorErrorAndIsCounted() throws IOException {
        try (TestTarget t = start(limits("{maxTextPairs: 32}"))) {
            StringBuilder keys = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                keys.append("X-com.example.k").append(i).append("=v\0"); // unknown keys: each would be answered
            }
            try (WireInitiator w = new WireInitiator(t.port())) {
                LoginResponse r = w.login("iqn.2026-12.test:chatty", TestTarget.IQN, keys.toString());
                assertThat(r.statusClass() << 8 | r.statusDetail()).as("RFC 7143 §11.13.5 initiator error").isEqualTo(0x0200);
                r.release();
            }
            assertThat(t.vhba().limitEvents().count(Limit.TEXT_PAIRS)).isEqualTo(1);
            assertThat(t.vhba().scrape()).contains("vhba_limits_reached_total{limit=\"maxTextPairs\"} 1.0");
            try (WireInitiator ok = session(t, "iqn.2026-12.test:quiet", TestTarget.IQN, "")) {
                assertWorks(ok, 3);
            }
        }
    }

    private static void waitForSessions(TestTarget t, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.vhba().sessions().sessions().size() > n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** Waits until the target has accepted {@code n} connections (accepting is asynchronous). */
    private static void waitForLogins(TestTarget t, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.vhba().loginsInProgress() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static ScsiCommand write(WireInitiator w, long lba, int blocks) {
        byte[] cdb = Arrays.copyOf(new byte[] {0x2A, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8),
                (byte) lba, 0, (byte) (blocks >>> 8), (byte) blocks, 0}, 16);
        return new ScsiCommand(false, true, false, true, 1, 0, w.nextItt(), blocks * 512, w.nextCmdSn(), 0, cdb, -1,
                Unpooled.EMPTY_BUFFER);
    }

    /** True when nothing arrives within the receive timeout. */
    private static boolean silent(WireInitiator w) {
        try {
            Object pdu = w.receive();
            return pdu == null;
        } catch (IOException e) {
            return true;
        }
    }

    private static Socket connect(TestTarget t) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", t.port()), 5000);
        return s;
    }

    /** Whether the target closes {@code s} within {@code millis}. */
    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
