package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.PduFormat.Segments.AHS_AND_DATA;
import static io.vhba.emulator.iscsi.codec.PduFormat.Segments.BHS_ONLY;
import static io.vhba.emulator.iscsi.codec.PduFormat.Segments.DATA;

import io.vhba.emulator.iscsi.codec.PduFormat.FieldReader;
import io.vhba.emulator.iscsi.codec.PduFormat.FieldWriter;
import io.vhba.emulator.iscsi.codec.PduFormat.Segments;
import io.vhba.emulator.iscsi.pdu.AsyncMessage;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.DataOut;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.LogoutResponse;
import io.vhba.emulator.iscsi.pdu.NopIn;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.Opcode;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.R2T;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import io.vhba.emulator.iscsi.pdu.SnackRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import io.vhba.emulator.iscsi.pdu.TextRequest;
import io.vhba.emulator.iscsi.pdu.TextResponse;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The opcode-specific BHS layout of every PDU (RFC 7143 §11.3-§11.19), one entry per opcode,
 * written as byte offsets exactly as the RFC's diagrams give them. Reserved fields stay zero on
 * encode and are ignored on decode (§11: "Any compliant receiver MUST ignore ... all reserved
 * fields"). Bytes 4-7 (TotalAHSLength, DataSegmentLength) belong to the codec.
 */
final class PduFormats {

    // Byte 0 (§11.2.1.1): the I bit, immediate delivery.
    private static final int I = 0x40;
    // Byte 1 masks. F is the final bit, and also the always-1 top bit of PDUs without one.
    private static final int F = 0x80;
    private static final int R = 0x40, W = 0x20, ATTR = 0x07;                   // §11.3.1
    private static final int BIDI_OVERFLOW = 0x10, BIDI_UNDERFLOW = 0x08;      // §11.4.1
    private static final int OVERFLOW = 0x04, UNDERFLOW = 0x02, STATUS = 0x01;  // §11.4.1, §11.7.1
    private static final int ACK = 0x40;                                        // §11.7.2
    private static final int CONTINUE = 0x40;                                   // §11.10.2, §11.12.2
    private static final int TRANSIT = 0x80, CSG = 0x0C, NSG = 0x03;           // §11.12.1-§11.12.3
    private static final int LOW7 = 0x7F;                                       // TMF function, logout reason
    private static final int SNACK_TYPE = 0x0F;                                 // §11.16.1

    private static final Map<Opcode, PduFormat<?>> TABLE = table(
            // §11.18 NOP-Out: LUN 8, ITT 16, TTT 20, CmdSN 24, ExpStatSN 28; ping data allowed.
            format(Opcode.NOP_OUT, NopOut.class, DATA,
                    (p, h) -> h.flag(0, I, p.immediate()).flag(1, F, true).i64(8, p.lun()).i32(16, p.itt())
                            .i32(20, p.ttt()).i32(24, p.cmdSN()).i32(28, p.expStatSN()),
                    (h, ahs, d) -> new NopOut(h.flag(0, I), h.i64(8), h.i32(16), h.i32(20), h.i32(24), h.i32(28), d)),

            // §11.3 SCSI Command: F R W ATTR; LUN 8, ITT 16, EDTL 20, CmdSN 24, ExpStatSN 28, CDB 32-47
            // (longer CDBs continue in an Extended CDB AHS, §11.3.5).
            format(Opcode.SCSI_COMMAND, ScsiCommand.class, AHS_AND_DATA,
                    (p, h) -> h.flag(0, I, p.immediate()).flag(1, F, p.fin()).flag(1, R, p.read()).flag(1, W, p.write())
                            .bits(1, ATTR, p.attributes()).i64(8, p.lun()).i32(16, p.itt())
                            .i32(20, p.expectedDataTransferLength()).i32(24, p.cmdSN()).i32(28, p.expStatSN())
                            .bytes(32, AdditionalHeaders.BHS_CDB_LENGTH, p.cdb()),
                    (h, ahs, d) -> new ScsiCommand(h.flag(0, I), h.flag(1, F), h.flag(1, R), h.flag(1, W),
                            h.bits(1, ATTR), h.i64(8), h.i32(16), h.i32(20), h.i32(24), h.i32(28),
                            ahs.cdb(h.bytes(32, AdditionalHeaders.BHS_CDB_LENGTH)), ahs.bidirectionalReadLength(), d),
                    p -> AdditionalHeaders.of(p.cdb(), p.expectedBidirectionalReadLength())),

            // §11.5 Task Management Function Request: function in byte 1; LUN 8, ITT 16, Referenced Task Tag 20,
            // CmdSN 24, ExpStatSN 28, RefCmdSN 32, ExpDataSN 36.
            format(Opcode.TASK_MANAGEMENT_REQUEST, TaskManagementRequest.class, BHS_ONLY,
                    (p, h) -> h.flag(0, I, p.immediate()).flag(1, F, true).bits(1, LOW7, p.function()).i64(8, p.lun())
                            .i32(16, p.itt()).i32(20, p.referencedTaskTag()).i32(24, p.cmdSN())
                            .i32(28, p.expStatSN()).i32(32, p.refCmdSN()).i32(36, p.expDataSN()),
                    (h, ahs, d) -> new TaskManagementRequest(h.flag(0, I), h.bits(1, LOW7), h.i64(8), h.i32(16),
                            h.i32(20), h.i32(24), h.i32(28), h.i32(32), h.i32(36))),

            // §11.12 Login Request: T C CSG NSG, Version-max 2, Version-min 3, ISID 8-13, TSIH 14, ITT 16, CID 20,
            // CmdSN 24, ExpStatSN 28. The I bit is always 1.
            format(Opcode.LOGIN_REQUEST, LoginRequest.class, DATA,
                    (p, h) -> h.flag(0, I, true).flag(1, TRANSIT, p.transit()).flag(1, CONTINUE, p.cont())
                            .bits(1, CSG, p.csg()).bits(1, NSG, p.nsg()).u8(2, p.versionMax()).u8(3, p.versionMin())
                            .u48(8, p.isid()).u16(14, p.tsih()).i32(16, p.itt()).u16(20, p.cid())
                            .i32(24, p.cmdSN()).i32(28, p.expStatSN()),
                    (h, ahs, d) -> new LoginRequest(h.flag(1, TRANSIT), h.flag(1, CONTINUE), h.bits(1, CSG),
                            h.bits(1, NSG), h.u8(2), h.u8(3), h.u48(8), h.u16(14), h.i32(16), h.u16(20), h.i32(24),
                            h.i32(28), d)),

            // §11.10 Text Request: F C; LUN 8, ITT 16, TTT 20, CmdSN 24, ExpStatSN 28.
            format(Opcode.TEXT_REQUEST, TextRequest.class, DATA,
                    (p, h) -> h.flag(0, I, p.immediate()).flag(1, F, p.fin()).flag(1, CONTINUE, p.cont())
                            .i64(8, p.lun()).i32(16, p.itt()).i32(20, p.ttt()).i32(24, p.cmdSN())
                            .i32(28, p.expStatSN()),
                    (h, ahs, d) -> new TextRequest(h.flag(0, I), h.flag(1, F), h.flag(1, CONTINUE), h.i64(8),
                            h.i32(16), h.i32(20), h.i32(24), h.i32(28), d)),

            // §11.7 SCSI Data-Out: F; LUN 8, ITT 16, TTT 20, ExpStatSN 28, DataSN 36, Buffer Offset 40.
            format(Opcode.DATA_OUT, DataOut.class, DATA,
                    (p, h) -> h.flag(1, F, p.fin()).i64(8, p.lun()).i32(16, p.itt()).i32(20, p.ttt())
                            .i32(28, p.expStatSN()).i32(36, p.dataSN()).i32(40, p.bufferOffset()),
                    (h, ahs, d) -> new DataOut(h.flag(1, F), h.i64(8), h.i32(16), h.i32(20), h.i32(28), h.i32(36),
                            h.i32(40), d)),

            // §11.14 Logout Request: reason code in byte 1; ITT 16, CID 20, CmdSN 24, ExpStatSN 28.
            format(Opcode.LOGOUT_REQUEST, LogoutRequest.class, BHS_ONLY,
                    (p, h) -> h.flag(0, I, p.immediate()).flag(1, F, true).bits(1, LOW7, p.reasonCode())
                            .i32(16, p.itt()).u16(20, p.cid()).i32(24, p.cmdSN()).i32(28, p.expStatSN()),
                    (h, ahs, d) -> new LogoutRequest(h.flag(0, I), h.bits(1, LOW7), h.i32(16), h.u16(20), h.i32(24),
                            h.i32(28))),

            // §11.16 SNACK Request: type in byte 1; LUN 8, ITT 16, TTT or SNACK Tag 20, ExpStatSN 28, BegRun 40,
            // RunLength 44.
            format(Opcode.SNACK_REQUEST, SnackRequest.class, BHS_ONLY,
                    (p, h) -> h.flag(1, F, true).bits(1, SNACK_TYPE, p.type()).i64(8, p.lun()).i32(16, p.itt())
                            .i32(20, p.ttt()).i32(28, p.expStatSN()).i32(40, p.begRun()).i32(44, p.runLength()),
                    (h, ahs, d) -> new SnackRequest(h.bits(1, SNACK_TYPE), h.i64(8), h.i32(16), h.i32(20), h.i32(28),
                            h.i32(40), h.i32(44))),

            // §11.19 NOP-In: LUN 8, ITT 16, TTT 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32.
            format(Opcode.NOP_IN, NopIn.class, DATA,
                    (p, h) -> h.flag(1, F, true).i64(8, p.lun()).i32(16, p.itt()).i32(20, p.ttt())
                            .i32(24, p.statSN()).i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()),
                    (h, ahs, d) -> new NopIn(h.i64(8), h.i32(16), h.i32(20), h.i32(24), h.i32(28), h.i32(32), d)),

            // §11.4 SCSI Response: o u O U; Response 2, Status 3; ITT 16, SNACK Tag 20, StatSN 24, ExpCmdSN 28,
            // MaxCmdSN 32, ExpDataSN 36, Bidirectional Read Residual Count 40, Residual Count 44.
            format(Opcode.SCSI_RESPONSE, ScsiResponse.class, DATA,
                    (p, h) -> h.flag(1, F, true).flag(1, BIDI_OVERFLOW, p.bidiOverflow())
                            .flag(1, BIDI_UNDERFLOW, p.bidiUnderflow()).flag(1, OVERFLOW, p.overflow())
                            .flag(1, UNDERFLOW, p.underflow()).u8(2, p.response()).u8(3, p.status())
                            .i32(16, p.itt()).i32(20, p.snackTag()).i32(24, p.statSN()).i32(28, p.expCmdSN())
                            .i32(32, p.maxCmdSN()).i32(36, p.expDataSN()).i32(40, p.bidiReadResidualCount())
                            .i32(44, p.residualCount()),
                    (h, ahs, d) -> new ScsiResponse(h.flag(1, BIDI_OVERFLOW), h.flag(1, BIDI_UNDERFLOW),
                            h.flag(1, OVERFLOW), h.flag(1, UNDERFLOW), h.u8(2), h.u8(3), h.i32(16), h.i32(20),
                            h.i32(24), h.i32(28), h.i32(32), h.i32(36), h.i32(40), h.i32(44), d)),

            // §11.6 Task Management Function Response: Response 2; ITT 16, StatSN 24, ExpCmdSN 28, MaxCmdSN 32.
            format(Opcode.TASK_MANAGEMENT_RESPONSE, TaskManagementResponse.class, BHS_ONLY,
                    (p, h) -> h.flag(1, F, true).u8(2, p.response()).i32(16, p.itt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()),
                    (h, ahs, d) -> new TaskManagementResponse(h.u8(2), h.i32(16), h.i32(24), h.i32(28), h.i32(32))),

            // §11.13 Login Response: T C CSG NSG, Version-max 2, Version-active 3, ISID 8-13, TSIH 14, ITT 16,
            // StatSN 24, ExpCmdSN 28, MaxCmdSN 32, Status-Class 36, Status-Detail 37.
            format(Opcode.LOGIN_RESPONSE, LoginResponse.class, DATA,
                    (p, h) -> h.flag(1, TRANSIT, p.transit()).flag(1, CONTINUE, p.cont()).bits(1, CSG, p.csg())
                            .bits(1, NSG, p.nsg()).u8(2, p.versionMax()).u8(3, p.versionActive()).u48(8, p.isid())
                            .u16(14, p.tsih()).i32(16, p.itt()).i32(24, p.statSN()).i32(28, p.expCmdSN())
                            .i32(32, p.maxCmdSN()).u8(36, p.statusClass()).u8(37, p.statusDetail()),
                    (h, ahs, d) -> new LoginResponse(h.flag(1, TRANSIT), h.flag(1, CONTINUE), h.bits(1, CSG),
                            h.bits(1, NSG), h.u8(2), h.u8(3), h.u48(8), h.u16(14), h.i32(16), h.i32(24), h.i32(28),
                            h.i32(32), h.u8(36), h.u8(37), d)),

            // §11.11 Text Response: F C; LUN 8, ITT 16, TTT 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32.
            format(Opcode.TEXT_RESPONSE, TextResponse.class, DATA,
                    (p, h) -> h.flag(1, F, p.fin()).flag(1, CONTINUE, p.cont()).i64(8, p.lun()).i32(16, p.itt())
                            .i32(20, p.ttt()).i32(24, p.statSN()).i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()),
                    (h, ahs, d) -> new TextResponse(h.flag(1, F), h.flag(1, CONTINUE), h.i64(8), h.i32(16), h.i32(20),
                            h.i32(24), h.i32(28), h.i32(32), d)),

            // §11.7 SCSI Data-In: F A O U S, Status 3; LUN 8, ITT 16, TTT 20, StatSN 24, ExpCmdSN 28,
            // MaxCmdSN 32, DataSN 36, Buffer Offset 40, Residual Count 44.
            format(Opcode.DATA_IN, DataIn.class, DATA,
                    (p, h) -> h.flag(1, F, p.fin()).flag(1, ACK, p.ack()).flag(1, OVERFLOW, p.overflow())
                            .flag(1, UNDERFLOW, p.underflow()).flag(1, STATUS, p.statusPresent()).u8(3, p.status())
                            .i64(8, p.lun()).i32(16, p.itt()).i32(20, p.ttt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()).i32(36, p.dataSN())
                            .i32(40, p.bufferOffset()).i32(44, p.residualCount()),
                    (h, ahs, d) -> new DataIn(h.flag(1, F), h.flag(1, ACK), h.flag(1, OVERFLOW), h.flag(1, UNDERFLOW),
                            h.flag(1, STATUS), h.u8(3), h.i64(8), h.i32(16), h.i32(20), h.i32(24), h.i32(28),
                            h.i32(32), h.i32(36), h.i32(40), h.i32(44), d)),

            // §11.15 Logout Response: Response 2; ITT 16, StatSN 24, ExpCmdSN 28, MaxCmdSN 32, Time2Wait 40,
            // Time2Retain 42.
            format(Opcode.LOGOUT_RESPONSE, LogoutResponse.class, BHS_ONLY,
                    (p, h) -> h.flag(1, F, true).u8(2, p.response()).i32(16, p.itt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()).u16(40, p.time2Wait())
                            .u16(42, p.time2Retain()),
                    (h, ahs, d) -> new LogoutResponse(h.u8(2), h.i32(16), h.i32(24), h.i32(28), h.i32(32), h.u16(40),
                            h.u16(42))),

            // §11.8 Ready To Transfer: LUN 8, ITT 16, TTT 20, StatSN 24, ExpCmdSN 28, MaxCmdSN 32, R2TSN 36,
            // Buffer Offset 40, Desired Data Transfer Length 44.
            format(Opcode.R2T, R2T.class, BHS_ONLY,
                    (p, h) -> h.flag(1, F, true).i64(8, p.lun()).i32(16, p.itt()).i32(20, p.ttt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()).i32(36, p.r2tSN()).i32(40, p.bufferOffset())
                            .i32(44, p.desiredDataTransferLength()),
                    (h, ahs, d) -> new R2T(h.i64(8), h.i32(16), h.i32(20), h.i32(24), h.i32(28), h.i32(32), h.i32(36),
                            h.i32(40), h.i32(44))),

            // §11.9 Asynchronous Message: LUN 8, ITT 16 = 0xffffffff, StatSN 24, ExpCmdSN 28, MaxCmdSN 32,
            // AsyncEvent 36, AsyncVCode 37, Parameter1 38, Parameter2 40, Parameter3 42.
            format(Opcode.ASYNC_MESSAGE, AsyncMessage.class, DATA,
                    (p, h) -> h.flag(1, F, true).i64(8, p.lun()).i32(16, p.itt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()).u8(36, p.asyncEvent())
                            .u8(37, p.asyncVCode()).u16(38, p.parameter1()).u16(40, p.parameter2())
                            .u16(42, p.parameter3()),
                    (h, ahs, d) -> new AsyncMessage(h.i64(8), h.i32(24), h.i32(28), h.i32(32), h.u8(36), h.u8(37),
                            h.u16(38), h.u16(40), h.u16(42), d)),

            // §11.17 Reject: Reason 2; ITT 16 = 0xffffffff, StatSN 24, ExpCmdSN 28, MaxCmdSN 32,
            // DataSN/R2TSN 36; the data segment is the rejected PDU's header.
            format(Opcode.REJECT, Reject.class, DATA,
                    (p, h) -> h.flag(1, F, true).u8(2, p.reason()).i32(16, p.itt()).i32(24, p.statSN())
                            .i32(28, p.expCmdSN()).i32(32, p.maxCmdSN()).i32(36, p.dataSN()),
                    (h, ahs, d) -> new Reject(h.u8(2), h.i32(24), h.i32(28), h.i32(32), h.i32(36), d)));

    private PduFormats() {
    }

    /** The format of a known opcode. */
    static PduFormat<?> of(Opcode opcode) {
        return TABLE.get(opcode);
    }

    private static <P extends Pdu> PduFormat<P> format(Opcode opcode, Class<P> type, Segments segments,
                                                       FieldWriter<P> writer, FieldReader<P> reader) {
        return format(opcode, type, segments, writer, reader, p -> AdditionalHeaders.NONE);
    }

    private static <P extends Pdu> PduFormat<P> format(Opcode opcode, Class<P> type, Segments segments,
                                                       FieldWriter<P> writer, FieldReader<P> reader,
                                                       Function<P, AdditionalHeaders> ahs) {
        return new PduFormat<>(opcode, type, segments, writer, reader, ahs);
    }

    private static Map<Opcode, PduFormat<?>> table(PduFormat<?>... formats) {
        Map<Opcode, PduFormat<?>> table = new EnumMap<>(Opcode.class);
        for (PduFormat<?> f : formats) {
            if (table.put(f.opcode(), f) != null) {
                throw new IllegalStateException("two formats for " + f.opcode());
            }
        }
        if (table.size() != Opcode.values().length) {
            throw new IllegalStateException("opcodes without a format: " + table.keySet());
        }
        return Collections.unmodifiableMap(table);
    }
}
