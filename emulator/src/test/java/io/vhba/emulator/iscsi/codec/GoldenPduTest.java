package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.CodecHarness.assertSamePdu;
import static io.vhba.emulator.iscsi.codec.CodecHarness.decoder;
import static io.vhba.emulator.iscsi.codec.CodecHarness.originOf;
import static io.vhba.emulator.iscsi.codec.CodecHarness.release;
import static io.vhba.emulator.iscsi.codec.Hex.ascii;
import static io.vhba.emulator.iscsi.codec.Hex.concat;
import static io.vhba.emulator.iscsi.codec.Hex.hex;
import static io.vhba.emulator.iscsi.codec.Hex.zeros;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.LogoutResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import io.vhba.emulator.iscsi.pdu.TextRequest;
import io.vhba.emulator.iscsi.pdu.TextResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * PDUs written byte by byte from the layouts of RFC 7143 §11, decoded to the expected record and
 * encoded back to the same bytes. Digests are off unless the case says otherwise.
 */
class GoldenPduTest {

    private static final long LUN1 = 0x0001_0000_0000_0000L;

    static Stream<Arguments> goldens() {
        return Stream.of(
                golden("Login Request (§11.12)", concat(hex("""
                                43 87 00 00   # .|I|0x03; T=1 C=0 CSG=1 NSG=3; Version-max 0; Version-min 0
                                00 00 00 12   # TotalAHSLength 0; DataSegmentLength 18
                                00 02 3d 00   # ISID 00023d000001 ...
                                00 01 00 00   # ... ISID; TSIH 0
                                00 00 00 01   # ITT
                                00 01 00 00   # CID 1; reserved
                                00 00 00 0a   # CmdSN
                                00 00 00 00   # ExpStatSN
                                00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00   # reserved
                                """), ascii("HeaderDigest=None\0"), zeros(2)),
                        () -> new LoginRequest(true, false, 1, 3, 0, 0, 0x00_02_3d_00_00_01L, 0, 1, 1, 0x0a, 0,
                                data(ascii("HeaderDigest=None\0")))),

                golden("Login Response (§11.13)", concat(hex("""
                                23 87 00 00   # 0x23; T=1 C=0 CSG=1 NSG=3; Version-max 0; Version-active 0
                                00 00 00 17   # DataSegmentLength 23
                                00 02 3d 00   # ISID ...
                                00 01 00 07   # ... ISID; TSIH 7
                                00 00 00 01   # ITT
                                00 00 00 00   # reserved
                                00 00 00 2a   # StatSN
                                00 00 00 0a   # ExpCmdSN
                                00 00 00 49   # MaxCmdSN
                                00 00 00 00   # Status-Class 0; Status-Detail 0; reserved
                                00 00 00 00  00 00 00 00   # reserved
                                """), ascii("TargetPortalGroupTag=1\0"), zeros(1)),
                        () -> new LoginResponse(true, false, 1, 3, 0, 0, 0x00_02_3d_00_00_01L, 7, 1, 0x2a, 0x0a, 0x49,
                                0, 0, data(ascii("TargetPortalGroupTag=1\0")))),

                golden("SCSI Command, WRITE(10) with immediate data (§11.3)", hex("""
                                01 a1 00 00   # 0x01; F=1 R=0 W=1 ATTR=1 (simple)
                                00 00 00 0a   # DataSegmentLength 10
                                00 01 00 00  00 00 00 00   # LUN 1
                                00 00 00 10   # ITT
                                00 00 02 00   # Expected Data Transfer Length 512
                                00 00 00 0b   # CmdSN
                                00 00 00 2b   # ExpStatSN
                                2a 00 00 00  00 10 00 00  01 00 00 00  00 00 00 00   # CDB: WRITE(10) LBA 16, 1 block
                                00 01 02 03  04 05 06 07  08 09 00 00   # immediate data, 2 bytes padding
                                """),
                        () -> new ScsiCommand(false, true, false, true, 1, LUN1, 0x10, 512, 0x0b, 0x2b,
                                hex("2a 00 00 00 00 10 00 00 01 00 00 00 00 00 00 00"), -1,
                                data(hex("00 01 02 03 04 05 06 07 08 09")))),

                golden("SCSI Command, 32-byte CDB in an Extended CDB AHS (§11.3.5, §11.2.2)", hex("""
                                01 c1 00 00   # 0x01; F=1 R=1 W=0 ATTR=1
                                05 00 00 00   # TotalAHSLength 5 words; DataSegmentLength 0
                                00 01 00 00  00 00 00 00   # LUN 1
                                00 00 00 11   # ITT
                                00 00 02 00   # Expected Data Transfer Length 512
                                00 00 00 0c   # CmdSN
                                00 00 00 2b   # ExpStatSN
                                7f 00 00 00  00 00 00 18  00 09 00 00  00 00 00 00   # CDB bytes 0-15: READ(32)
                                00 11 01 00   # AHSLength 17 = 32 - 15; AHSType 1; reserved
                                00 00 00 20  00 00 00 00  00 00 00 00  00 00 00 01   # CDB bytes 16-31
                                """),
                        () -> new ScsiCommand(false, true, true, false, 1, LUN1, 0x11, 512, 0x0c, 0x2b,
                                SamplePdus.READ32_CDB.clone(), -1, Unpooled.EMPTY_BUFFER)),

                golden("SCSI Data-In with status and residual underflow (§11.7)", hex("""
                                25 83 00 00   # 0x25; F=1 A=0 O=0 U=1 S=1; reserved; Status GOOD
                                00 00 00 08   # DataSegmentLength 8
                                00 01 00 00  00 00 00 00   # LUN 1
                                00 00 00 12   # ITT
                                ff ff ff ff   # TTT
                                00 00 00 2c   # StatSN
                                00 00 00 0d   # ExpCmdSN
                                00 00 00 4c   # MaxCmdSN
                                00 00 00 00   # DataSN
                                00 00 00 00   # Buffer Offset
                                00 00 01 f8   # Residual Count 504
                                de ad be ef  01 02 03 04   # data
                                """),
                        () -> new DataIn(true, false, false, true, true, 0, LUN1, 0x12, 0xFFFF_FFFF, 0x2c, 0x0d, 0x4c,
                                0, 0, 504, data(hex("de ad be ef 01 02 03 04")))),

                golden("R2T (§11.8)", hex("""
                                31 80 00 00
                                00 00 00 00
                                00 01 00 00  00 00 00 00   # LUN 1
                                00 00 00 13   # ITT
                                00 00 12 34   # TTT
                                00 00 00 2d   # StatSN
                                00 00 00 0e   # ExpCmdSN
                                00 00 00 4d   # MaxCmdSN
                                00 00 00 01   # R2TSN
                                00 00 20 00   # Buffer Offset 8192
                                00 01 00 00   # Desired Data Transfer Length 65536
                                """),
                        () -> new R2T(LUN1, 0x13, 0x1234, 0x2d, 0x0e, 0x4d, 1, 0x2000, 0x1_0000)),

                golden("SCSI Response, CHECK CONDITION with sense data (§11.4, §11.4.7)", hex("""
                                21 80 00 02   # 0x21; o=u=O=U=0; Response 0 (completed at target); Status CHECK CONDITION
                                00 00 00 14   # DataSegmentLength 20
                                00 00 00 00  00 00 00 00   # reserved
                                00 00 00 14   # ITT
                                00 00 00 00   # SNACK Tag
                                00 00 00 2e   # StatSN
                                00 00 00 0f   # ExpCmdSN
                                00 00 00 4e   # MaxCmdSN
                                00 00 00 00   # ExpDataSN
                                00 00 00 00   # Bidirectional Read Residual Count
                                00 00 00 00   # Residual Count
                                00 12         # SenseLength 18
                                70 00 05 00  00 00 00 0a  00 00 00 00  24 00 00 00  00 00   # ILLEGAL REQUEST, 24h/00h
                                """),
                        () -> new ScsiResponse(false, false, false, false, 0, 0x02, 0x14, 0, 0x2e, 0x0f, 0x4e, 0, 0, 0,
                                data(hex("00 12 70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00")))),

                golden("NOP-Out ping (§11.18)", concat(hex("""
                                40 80 00 00   # .|I|0x00; 1
                                00 00 00 04   # DataSegmentLength 4
                                00 00 00 00  00 00 00 00   # LUN 0
                                00 00 00 15   # ITT
                                ff ff ff ff   # TTT
                                00 00 00 10   # CmdSN
                                00 00 00 2f   # ExpStatSN
                                00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00   # reserved
                                """), ascii("ping")),
                        () -> new NopOut(true, 0, 0x15, 0xFFFF_FFFF, 0x10, 0x2f, data(ascii("ping")))),

                golden("NOP-In reply (§11.19)", concat(hex("""
                                20 80 00 00
                                00 00 00 04   # DataSegmentLength 4
                                00 00 00 00  00 00 00 00   # LUN 0
                                00 00 00 15   # ITT
                                ff ff ff ff   # TTT
                                00 00 00 2f   # StatSN
                                00 00 00 10   # ExpCmdSN
                                00 00 00 4f   # MaxCmdSN
                                00 00 00 00  00 00 00 00  00 00 00 00   # reserved
                                """), ascii("ping")),
                        () -> new NopIn(0, 0x15, 0xFFFF_FFFF, 0x2f, 0x10, 0x4f, data(ascii("ping")))),

                golden("Reject (§11.17)", hex("""
                                3f 80 04 00   # 0x3f; 1; Reason 0x04 protocol error
                                00 00 00 30   # DataSegmentLength 48
                                00 00 00 00  00 00 00 00
                                ff ff ff ff   # ITT reserved
                                00 00 00 00
                                00 00 00 30   # StatSN
                                00 00 00 11   # ExpCmdSN
                                00 00 00 50   # MaxCmdSN
                                00 00 00 00   # DataSN/R2TSN
                                00 00 00 00  00 00 00 00
                                07 80 00 00  00 00 00 00  00 00 00 00  00 00 00 00   # the rejected BHS (opcode 0x07) ...
                                00 00 00 16  00 00 00 00  00 00 00 00  00 00 00 00
                                00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                                """),
                        () -> new Reject(4, 0x30, 0x11, 0x50, 0, data(concat(hex("07 80 00 00"), zeros(12),
                                hex("00 00 00 16"), zeros(28))))),

                golden("Text Request, SendTargets (§11.10)", concat(hex("""
                                04 80 00 00   # 0x04; F=1 C=0
                                00 00 00 10   # DataSegmentLength 16
                                00 00 00 00  00 00 00 00   # LUN 0
                                00 00 00 17   # ITT
                                ff ff ff ff   # TTT
                                00 00 00 12   # CmdSN
                                00 00 00 31   # ExpStatSN
                                00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                                """), ascii("SendTargets=All\0")),
                        () -> new TextRequest(false, true, false, 0, 0x17, 0xFFFF_FFFF, 0x12, 0x31,
                                data(ascii("SendTargets=All\0")))),

                golden("Text Response (§11.11)", concat(hex("""
                                24 80 00 00   # 0x24; F=1 C=0
                                00 00 00 25   # DataSegmentLength 37
                                00 00 00 00  00 00 00 00   # LUN 0
                                00 00 00 17   # ITT
                                ff ff ff ff   # TTT
                                00 00 00 31   # StatSN
                                00 00 00 13   # ExpCmdSN
                                00 00 00 52   # MaxCmdSN
                                00 00 00 00  00 00 00 00  00 00 00 00
                                """), ascii("TargetName=iqn.2024-01.io.vhba:disk0\0"), zeros(3)),
                        () -> new TextResponse(true, false, 0, 0x17, 0xFFFF_FFFF, 0x31, 0x13, 0x52,
                                data(ascii("TargetName=iqn.2024-01.io.vhba:disk0\0")))),

                golden("Logout Request, close the session (§11.14)", hex("""
                                46 80 00 00   # .|I|0x06; 1, Reason Code 0
                                00 00 00 00
                                00 00 00 00  00 00 00 00
                                00 00 00 18   # ITT
                                00 01 00 00   # CID 1
                                00 00 00 14   # CmdSN
                                00 00 00 32   # ExpStatSN
                                00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                                """),
                        () -> new LogoutRequest(true, 0, 0x18, 1, 0x14, 0x32)),

                golden("Logout Response (§11.15)", hex("""
                                26 80 00 00   # Response 0: closed
                                00 00 00 00
                                00 00 00 00  00 00 00 00
                                00 00 00 18   # ITT
                                00 00 00 00
                                00 00 00 32   # StatSN
                                00 00 00 15   # ExpCmdSN
                                00 00 00 53   # MaxCmdSN
                                00 00 00 00
                                00 02 00 14   # Time2Wait 2; Time2Retain 20
                                00 00 00 00
                                """),
                        () -> new LogoutResponse(0, 0x18, 0x32, 0x15, 0x53, 2, 20)),

                golden("Task Management Request, ABORT TASK (§11.5)", hex("""
                                42 81 00 00   # .|I|0x02; 1, Function 1
                                00 00 00 00
                                00 01 00 00  00 00 00 00   # LUN 1
                                00 00 00 19   # ITT
                                00 00 00 12   # Referenced Task Tag
                                00 00 00 15   # CmdSN
                                00 00 00 33   # ExpStatSN
                                00 00 00 0d   # RefCmdSN
                                00 00 00 00   # ExpDataSN
                                00 00 00 00  00 00 00 00
                                """),
                        () -> new TaskManagementRequest(true, 1, LUN1, 0x19, 0x12, 0x15, 0x33, 0x0d, 0)),

                golden("Task Management Response (§11.6)", hex("""
                                22 80 00 00   # Response 0: function complete
                                00 00 00 00
                                00 00 00 00  00 00 00 00
                                00 00 00 19   # ITT
                                00 00 00 00
                                00 00 00 33   # StatSN
                                00 00 00 16   # ExpCmdSN
                                00 00 00 55   # MaxCmdSN
                                00 00 00 00  00 00 00 00  00 00 00 00
                                """),
                        () -> new TaskManagementResponse(0, 0x19, 0x33, 0x16, 0x55)));
    }

    private static Arguments golden(String name, byte[] wire, Supplier<Pdu> expected) {
        return Arguments.of(name, wire, expected);
    }

    private static io.netty.buffer.ByteBuf data(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    private final CodecHarness harness = new CodecHarness();

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void decodesToTheRecordAndEncodesBackToTheSameBytes(String name, byte[] wire, Supplier<Pdu> expected) {
        assertThat(wire.length % 4).as("a PDU is a whole number of 4-byte words").isZero();
        Pdu want = expected.get();
        List<Object> decoded = harness.decode(decoder(originOf(want), false, false), wire);
        assertThat(decoded).hasSize(1);
        assertSamePdu(decoded.get(0), want);
        release(decoded);

        byte[] encoded = harness.encode(expected.get(), false, false);
        assertThat(ByteBufUtil.hexDump(encoded)).isEqualTo(ByteBufUtil.hexDump(wire));
        harness.assertAllReleased();
    }

    /** The SCSI Read (10) PDU of RFC 7143 Appendix A.4 with its header digest, both ways. */
    @Test
    void rfcReadCommandWithHeaderDigest() {
        byte[] wire = hex("""
                01 c0 00 00  00 00 00 00  00 00 00 00  00 00 00 00
                14 00 00 00  00 00 04 00  00 00 00 14  00 00 00 18
                28 00 00 00  00 00 00 00  02 00 00 00  00 00 00 00
                56 3a 96 d9   # CRC32C as listed in the RFC
                """);
        Supplier<Pdu> expected = () -> new ScsiCommand(false, true, true, false, 0, 0, 0x1400_0000, 1024, 0x14, 0x18,
                hex("28 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00"), -1, Unpooled.EMPTY_BUFFER);

        List<Object> decoded = harness.decode(decoder(PduOrigin.INITIATOR, true, true), wire);
        assertThat(decoded).hasSize(1);
        assertSamePdu(decoded.get(0), expected.get());
        assertThat(harness.encode(expected.get(), true, true)).containsExactly(wire);
        harness.assertAllReleased();
    }

    /** A data digest over 32 zero bytes is the RFC's first example: aa 36 91 8a after the data. */
    @Test
    void dataDigestOfThirtyTwoZeroBytes() {
        byte[] wire = harness.encode(new NopOut(true, 0, 1, 0xFFFF_FFFF, 1, 1, data(zeros(32))), false, true);
        assertThat(wire).hasSize(48 + 32 + 4);
        assertThat(ByteBufUtil.hexDump(wire, 80, 4)).isEqualTo("aa36918a");
    }
}
