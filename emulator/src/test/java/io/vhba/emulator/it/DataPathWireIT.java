package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data path on the wire (RFC 7143 §11.7-§11.8): R2Ts with MaxOutstandingR2T above 1 and
 * bursts of MaxBurstLength; Data-In cut at the initiator's MaxRecvDataSegmentLength with the F bit
 * at each MaxBurstLength and the status in the last PDU.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataPathWireIT {
    private static final int MRDSL = 8192;
    private static final int BURST = 65536;
    private static TestTarget target;

    @BeforeAll
    static void start() {
        target = TestTarget.start("64M", 512);
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    private static ScsiCommand command(WireInitiator w, int itt, boolean read, byte[] cdb, int edtl, int cmdSn) {
        return new ScsiCommand(false, true, read, !read, 1, 0, itt, edtl, cmdSn, 0, cdb, -1, Unpooled.EMPTY_BUFFER);
    }

    private static byte[] rw10(int opcode, int lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[2] = (byte) (lba >>> 24);
        cdb[3] = (byte) (lba >>> 16);
        cdb[4] = (byte) (lba >>> 8);
        cdb[5] = (byte) lba;
        cdb[7] = (byte) (blocks >>> 8);
        cdb[8] = (byte) blocks;
        return cdb;
    }

    @Test
    void writesAreSolicitedWithSeveralR2tsAndReadsComeBackInBurstsWithStatusInTheLastDataIn() throws Exception {
        try (WireInitiator w = new WireInitiator(target.port())) {
            LoginResponse login = w.login("iqn.2026-11.test:wire", TestTarget.IQN, "HeaderDigest=None\0DataDigest=None\0"
                    + "MaxRecvDataSegmentLength=" + MRDSL + "\0MaxBurstLength=" + BURST + "\0FirstBurstLength=" + BURST
                    + "\0InitialR2T=Yes\0ImmediateData=No\0MaxOutstandingR2T=4\0");
            String keys = login.data().toString(StandardCharsets.UTF_8);
            login.release();
            assertThat(keys).contains("MaxOutstandingR2T=4", "MaxBurstLength=" + BURST, "InitialR2T=Yes", "ImmediateData=No");

            // Clear the power-on unit attention with TEST UNIT READY.
            w.send(new ScsiCommand(false, true, false, false, 1, 0, w.nextItt(), 0, w.nextCmdSn(), 0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            ScsiResponse ua = (ScsiResponse) w.receive();
            assertThat(ua.status()).isEqualTo(2);
            ua.release();

            int length = 512 * 1024;
            byte[] data = new byte[length];
            new Random(42).nextBytes(data);
            int itt = w.nextItt();
            w.send(command(w, itt, false, rw10(0x2A, 1000, length / 512), length, w.nextCmdSn()));
            // MaxOutstandingR2T=4: four R2Ts of one burst each before any data is sent.
            List<R2T> r2ts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                r2ts.add((R2T) w.receive());
            }
            assertThat(r2ts).extracting(R2T::r2tSN).containsExactly(0, 1, 2, 3);
            assertThat(r2ts).extracting(R2T::bufferOffset).containsExactly(0, BURST, 2 * BURST, 3 * BURST);
            assertThat(r2ts).allMatch(r -> r.desiredDataTransferLength() == BURST && r.itt() == itt);
            int answered = 0;
            int nextR2tSn = 4;
            while (answered < length / BURST) {
                R2T r = r2ts.remove(0);
                for (int off = 0, sn = 0; off < r.desiredDataTransferLength(); off += MRDSL, sn++) {
                    int n = Math.min(MRDSL, r.desiredDataTransferLength() - off);
                    w.send(new DataOut(off + n == r.desiredDataTransferLength(), 0, itt, r.ttt(), 0, sn, r.bufferOffset() + off,
                            Unpooled.wrappedBuffer(data, r.bufferOffset() + off, n)));
                }
                answered++;
                if (answered + r2ts.size() < length / BURST) {
                    R2T next = (R2T) w.receive(); // one burst done, the next R2T comes
                    assertThat(next.r2tSN()).isEqualTo(nextR2tSn++);
                    r2ts.add(next);
                }
            }
            ScsiResponse wr = (ScsiResponse) w.receive();
            assertThat(wr.status()).isZero();
            assertThat(wr.itt()).isEqualTo(itt);
            assertThat(wr.expDataSN()).as("ExpDataSN counts the R2Ts").isEqualTo(length / BURST);
            assertThat(wr.underflow() || wr.overflow()).isFalse();
            wr.release();

            int ritt = w.nextItt();
            w.send(command(w, ritt, true, rw10(0x28, 1000, length / 512), length, w.nextCmdSn()));
            ByteBuf back = Unpooled.buffer(length);
            int expectedSn = 0;
            DataIn last;
            do {
                last = (DataIn) w.receive();
                assertThat(last.dataSN()).isEqualTo(expectedSn++);
                assertThat(last.bufferOffset()).isEqualTo(back.writerIndex());
                assertThat(last.data().readableBytes()).isLessThanOrEqualTo(MRDSL);
                back.writeBytes(last.data());
                boolean endOfBurst = back.writerIndex() % BURST == 0;
                assertThat(last.fin()).as("F bit at each MaxBurstLength boundary, offset " + back.writerIndex()).isEqualTo(endOfBurst);
                last.release();
            } while (!last.statusPresent());
            assertThat(back.writerIndex()).isEqualTo(length);
            assertThat(last.status()).isZero();
            assertThat(last.underflow() || last.overflow()).isFalse();
            byte[] got = new byte[length];
            back.readBytes(got);
            assertThat(got).isEqualTo(data);
        }
    }
}
