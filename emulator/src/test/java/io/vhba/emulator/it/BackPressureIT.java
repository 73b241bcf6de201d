package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.platform.HostMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An initiator that stops reading its socket: the target stops reading its commands once 1 MiB of answers wait for
 * it (channel not writable, auto-read off), so the answers it holds stay bounded while another session keeps doing
 * I/O; when the reader resumes it gets every answer, in order, with the right data.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackPressureIT {
    private static final int READ_BLOCKS = 512; // 256 KiB per READ
    private static final int FIRST_BATCH = 32;  // 8 MiB of answers: more than the kernel's socket buffers take
    private static final int SECOND_BATCH = 64; // 16 MiB more, if the target kept reading

    @Test
    void aSessionThatStopsReadingIsThrottledAndLaterGetsEveryAnswerInOrder() throws IOException {
        LimitsConfig limits = new LimitsConfig(null, null, null, null, null, null, "1M", null, null);
        try (TestTarget t = TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox",
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, "64M", 512, false, true, false, null))))).withLimits(limits));
             WireInitiator fast = login(new WireInitiator(t.port()), "iqn.2026-12.test:fast");
             WireInitiator slow = login(new WireInitiator(t.port(), 32 << 10), "iqn.2026-12.test:slow")) {
            fast.command(new byte[6], null, 0);
            slow.command(new byte[6], null, 0);
            int total = FIRST_BATCH + SECOND_BATCH;
            for (int i = 0; i < total; i++) { // a marker at the start of each 256 KiB the slow reader will read
                assertThat(fast.command(write10((long) i * READ_BLOCKS), marker(i), 0).status()).isZero();
            }
            HostMemory memory = t.vhba().hostMemory();
            long baseline = memory.allocatedPages();

            List<Integer> itts = new ArrayList<>();
            for (int i = 0; i < FIRST_BATCH; i++) {
                itts.add(sendRead(slow, i));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.vhba().limitEvents().count(Limit.CONNECTION_WRITE_BUFFER) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(t.vhba().limitEvents().count(Limit.CONNECTION_WRITE_BUFFER)).as("reading paused").isEqualTo(1);
            for (int i = FIRST_BATCH; i < total; i++) {
                itts.add(sendRead(slow, i));
            }
            for (int round = 0; round < 5; round++) { // meanwhile another session does I/O
                byte[] data = marker(1000 + round);
                assertThat(fast.command(write10(60_000 + round), data, 0).status()).isZero();
                assertThat(fast.command(WireInitiator.read10(60_000 + round, 1), null, 512).data()).isEqualTo(data);
            }
            long heldBytes = (memory.allocatedPages() - baseline) * HostMemory.PAGE_SIZE;
            assertThat(heldBytes).as("answers held for the slow reader: the second batch was not read")
                    .isLessThan(12L << 20);

            for (int i = 0; i < total; i++) { // the reader resumes
                assertThat(readAnswer(slow, itts.get(i))).as("answer %d", i).isEqualTo(i);
            }
            assertThat(slow.command(new byte[6], null, 0).status()).as("the slow session carries on").isZero();
            assertThat(t.vhba().limitEvents().count(Limit.CONNECTION_WRITE_BUFFER)).isGreaterThanOrEqualTo(1);
        }
    }

    private static WireInitiator login(WireInitiator w, String name) throws IOException {
        LoginResponse r = w.login(name, TestTarget.IQN);
        assertThat(r.statusClass()).isZero();
        r.release();
        return w;
    }

    private static byte[] marker(int i) {
        byte[] b = new byte[512];
        ByteBuffer.wrap(b).putInt(i).putInt(~i);
        return b;
    }

    private static byte[] write10(long lba) {
        return new byte[] {0x2A, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0, 0, 1, 0};
    }

    private static int sendRead(WireInitiator w, int i) throws IOException {
        int itt = w.nextItt();
        byte[] cdb = Arrays.copyOf(WireInitiator.read10((long) i * READ_BLOCKS, READ_BLOCKS), 16);
        w.send(new ScsiCommand(false, true, true, false, 1, 0, itt, READ_BLOCKS * 512, w.nextCmdSn(), 0, cdb, -1,
                Unpooled.EMPTY_BUFFER));
        return itt;
    }

    /** Reads the whole answer to {@code itt}, which must come next; returns the marker its data starts with. */
    private static int readAnswer(WireInitiator w, int itt) throws IOException {
        int received = 0;
        int marker = -1;
        while (true) {
            Object pdu = w.receive();
            assertThat(pdu).as("answer to ITT 0x%x", itt).isInstanceOf(DataIn.class);
            DataIn d = (DataIn) pdu;
            assertThat(d.itt()).as("answers come in the order of the commands").isEqualTo(itt);
            if (d.bufferOffset() == 0) {
                marker = d.data().getInt(d.data().readerIndex());
                assertThat(d.data().getInt(d.data().readerIndex() + 4)).isEqualTo(~marker);
            }
            received += d.data().readableBytes();
            boolean last = d.statusPresent();
            int status = d.status();
            d.release();
            if (last) {
                assertThat(status).isZero();
                assertThat(received).isEqualTo(READ_BLOCKS * 512);
                return marker;
            }
        }
    }
}
