package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SANITIZE without IMMED lasts seconds (SBC-4 5.22.1), behind every sample miniport: meanwhile the unit
 * answers NOT READY / SANITIZE IN PROGRESS, the command's status comes only when the overwrite ends, and an
 * ABORT TASK ends the task (never answered afterwards) while the overwrite goes on (SBC-4 4.11.4).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LongSanitizeIT {
    private static final int BLOCK = 512;
    /** 4 MiB at 1 MiB/s: the overwrite takes about 4 s. */
    private static final String SIZE = "4M";
    private static final String RATE = "1M";
    private static final byte[] TUR = new byte[6];

    private static TestTarget start(String miniport) {
        return TestTarget.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", miniport,
                new ControllerConfig(null, null, null), 30, true, null, 0, null,
                List.of(new TargetConfig(TestTarget.IQN, "vhba-sanitize", null,
                        List.of(new LunConfig(0, SIZE, BLOCK, null, false, true, false, null, RATE))))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox", "halfduplex", "virtual", "ring"})
    void theStatusComesWhenTheOverwriteEndsAndAnAbortedOneIsNeverAnswered(String miniport) throws Exception {
        try (TestTarget target = start(miniport); WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse login = w.login("iqn.2026-11.test:sanitizer", TestTarget.IQN);
            assertThat(login.statusClass()).isZero();
            login.release();
            w.command(TUR, null, 0); // the power-on unit attention
            w.setReceiveTimeout(20_000);

            // 1. Without IMMED, the status comes when the overwrite has ended.
            long started = System.nanoTime();
            int itt = sendSanitize(w, (byte) 0x5A);
            Object answer = w.receive();
            assertThat(answer).isInstanceOf(ScsiResponse.class);
            ScsiResponse r = (ScsiResponse) answer;
            assertThat(r.itt()).isEqualTo(itt);
            assertThat(r.status()).as("SANITIZE status").isZero();
            r.release();
            assertThat(System.nanoTime() - started).as("status after the paced overwrite")
                    .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(3000));
            assertThat(w.command(WireInitiator.read10(0, 8), null, 8 * BLOCK).data()).containsOnly(0x5A);
            assertThat(w.command(WireInitiator.read10(8191, 1), null, BLOCK).data()).containsOnly(0x5A);

            // 2. Meanwhile the unit is busy; an ABORT TASK ends the task, not the overwrite.
            int cmdSn = w.cmdSn();
            int sanitize = sendSanitize(w, (byte) 0x3C);
            assertNotReadySanitizing(w.command(TUR, null, 0));
            int tmf = w.nextItt();
            w.send(new TaskManagementRequest(true, 1, 0, tmf, sanitize, w.cmdSn(), 0, cmdSn, 0));
            Object tmfAnswer = w.receive();
            assertThat(tmfAnswer).as("the TMF response, and no SANITIZE response before it")
                    .isInstanceOf(TaskManagementResponse.class);
            assertThat(((TaskManagementResponse) tmfAnswer).itt()).isEqualTo(tmf);
            assertThat(((TaskManagementResponse) tmfAnswer).response()).as("FUNCTION COMPLETE").isZero();
            assertNotReadySanitizing(w.command(TUR, null, 0));
            // Poll until the overwrite ends; a late answer to the aborted task would arrive here and fail command().
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            WireInitiator.Answer tur;
            while ((tur = w.command(TUR, null, 0)).status() != 0) {
                assertNotReadySanitizing(tur);
                assertThat(System.nanoTime()).as("overwrite still running after 30 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(w.command(WireInitiator.read10(4096, 8), null, 8 * BLOCK).data()).as("the aborted task's overwrite finished")
                    .containsOnly(0x3C);
        }
    }

    /** SANITIZE OVERWRITE, one pass of a one-block pattern, IMMED=0; returns its ITT without waiting. */
    private static int sendSanitize(WireInitiator w, byte pattern) throws Exception {
        byte[] list = ByteBuffer.allocate(4 + BLOCK).put((byte) 1).put((byte) 0).putShort((short) BLOCK).array();
        Arrays.fill(list, 4, list.length, pattern);
        byte[] cdb = {0x48, 0x01, 0, 0, 0, 0, 0, (byte) (list.length >>> 8), (byte) list.length, 0};
        int itt = w.nextItt();
        w.send(new ScsiCommand(false, true, false, true, 1, 0, itt, list.length, w.nextCmdSn(), 0,
                Arrays.copyOf(cdb, 16), -1, Unpooled.wrappedBuffer(list)));
        return itt;
    }

    private static void assertNotReadySanitizing(WireInitiator.Answer a) {
        assertThat(a.status()).as("CHECK CONDITION").isEqualTo(2);
        assertThat(new int[] {a.sense()[2] & 0x0F, a.sense()[12] & 0xFF, a.sense()[13] & 0xFF})
                .as("NOT READY, LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS").containsExactly(0x2, 0x04, 0x1B);
        assertThat(a.sense()[15] & 0x80).as("SKSV: the progress indication").isEqualTo(0x80);
    }

}
