package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.Hex.ascii;
import static io.vhba.emulator.iscsi.codec.Hex.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.AsyncMessage;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.DataOut;
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
import io.vhba.emulator.iscsi.pdu.SnackRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementRequest;
import io.vhba.emulator.iscsi.pdu.TaskManagementResponse;
import io.vhba.emulator.iscsi.pdu.TextRequest;
import io.vhba.emulator.iscsi.pdu.TextResponse;

import java.util.List;
import java.util.function.Function;

/**
 * One record of each of the 18 PDUs, every field set to a distinct non-default value where the
 * wire allows it, built fresh on each call (encoding consumes the data reference).
 */
final class SamplePdus {
    static final long LUN1 = 0x0001_0000_0000_0000L;

    /** READ(32): a variable-length CDB of 32 bytes (needs an Extended CDB AHS of 17 bytes). */
    static final byte[] READ32_CDB = hex("""
            7f 00 00 00 00 00 00 18 00 09 00 00 00 00 00 00
            00 00 00 20 00 00 00 00 00 00 00 00 00 00 00 01
            """);
    /** An 18-byte CDB: its AHS is 3 + 3 bytes, padded to 8. */
    static final byte[] CDB18 = hex("c0 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11");
    static final byte[] READ10_CDB = hex("28 00 00 00 10 00 00 00 08 00 00 00 00 00 00 00");

    private final Function<byte[], ByteBuf> data;

    SamplePdus(Function<byte[], ByteBuf> data) {
        this.data = data;
    }

    /** Samples whose data segments are untracked heap buffers: for expected values. */
    static SamplePdus untracked() {
        return new SamplePdus(Unpooled::wrappedBuffer);
    }

    private ByteBuf data(byte[] bytes) {
        return data.apply(bytes);
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    List<Pdu> initiatorPdus() {
        return List.of(
                new NopOut(true, LUN1, 0x1001, 0xFFFF_FFFF, 0x2001, 0x3001, data(ascii("ping"))),
                new ScsiCommand(false, true, true, false, 1, LUN1, 0x1002, 4096, 0x2002, 0x3002, READ10_CDB.clone(),
                        -1, Unpooled.EMPTY_BUFFER),
                new ScsiCommand(true, false, false, true, 2, LUN1, 0x1003, 0x1_0000, 0x2003, 0x3003, READ32_CDB.clone(),
                        -1, data(pattern(5))),
                new ScsiCommand(false, true, true, true, 4, LUN1, 0x1004, 512, 0x2004, 0x3004, CDB18.clone(),
                        0x0000_8000, data(pattern(512))),
                new TaskManagementRequest(true, 5, LUN1, 0x1005, 0x1002, 0x2005, 0x3005, 0x2002, 7),
                new LoginRequest(true, false, 1, 3, 0, 0, 0x00_02_3d_00_00_01L, 0x1234, 0x1006, 1, 0x2006, 0x3006,
                        data(ascii("HeaderDigest=CRC32C\0DataDigest=CRC32C\0"))),
                new TextRequest(true, true, false, 0, 0x1007, 0xFFFF_FFFF, 0x2007, 0x3007, data(ascii("SendTargets=All\0"))),
                new DataOut(true, LUN1, 0x1003, 0x4001, 0x3008, 3, 0x6000, data(pattern(1023))),
                new LogoutRequest(true, 2, 0x1009, 0xBEEF, 0x2009, 0x3009),
                new SnackRequest(3, LUN1, 0x100A, 0x4002, 0x300A, 9, 4));
    }

    List<Pdu> targetPdus() {
        return List.of(
                new NopIn(0, 0xFFFF_FFFF, 0x4003, 0x5001, 0x2010, 0x2050, data(pattern(3))),
                new ScsiResponse(true, false, false, true, 1, 2, 0x1002, 0x4004, 0x5002, 0x2011, 0x2051, 6, 17, 512,
                        data(hex("00 12 70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00"))),
                new ScsiResponse(false, true, true, false, 0, 0, 0x1003, 0, 0x5003, 0x2012, 0x2052, 0, 4, 8,
                        Unpooled.EMPTY_BUFFER),
                new TaskManagementResponse(255, 0x1005, 0x5004, 0x2013, 0x2053),
                new LoginResponse(true, true, 0, 1, 0, 0, 0x00_02_3d_00_00_01L, 0x0007, 0x1006, 0x5005, 0x2014, 0x2054,
                        2, 1, data(ascii("TargetPortalGroupTag=1\0"))),
                new TextResponse(false, true, 0, 0x1007, 0x4005, 0x5006, 0x2015, 0x2055, data(pattern(2047))),
                new DataIn(true, true, true, false, true, 0x02, LUN1, 0x1002, 0x4006, 0x5007, 0x2016, 0x2056, 2, 0x2000,
                        12, data(pattern(4096))),
                new LogoutResponse(3, 0x1009, 0x5008, 0x2017, 0x2057, 2, 20),
                new R2T(LUN1, 0x1003, 0x4007, 0x5009, 0x2018, 0x2058, 1, 0x8000, 0x1_0000),
                new AsyncMessage(LUN1, 0x500A, 0x2019, 0x2059, 4, 7, 0x0102, 0x0304, 0x0506, data(pattern(6))),
                new Reject(9, 0x500B, 0x201A, 0x205A, 5, data(pattern(48))));
    }

    List<Pdu> all() {
        return java.util.stream.Stream.concat(initiatorPdus().stream(), targetPdus().stream()).toList();
    }
}
