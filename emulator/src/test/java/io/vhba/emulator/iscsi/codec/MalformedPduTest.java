package io.vhba.emulator.iscsi.codec;

import static io.vhba.emulator.iscsi.codec.CodecHarness.assertSamePdu;
import static io.vhba.emulator.iscsi.codec.CodecHarness.decoder;
import static io.vhba.emulator.iscsi.codec.CodecHarness.release;
import static io.vhba.emulator.iscsi.codec.Hex.concat;
import static io.vhba.emulator.iscsi.codec.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LogoutRequest;
import io.vhba.emulator.iscsi.pdu.NopOut;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.RejectReason;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import io.vhba.emulator.iscsi.pdu.ScsiResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bad input: what the decoder emits for it, and what it does with the bytes that follow. */
class MalformedPduTest {

    private final CodecHarness harness = new CodecHarness();

    private static NopOut nop(int itt) {
        return new NopOut(true, 0, itt, 0xFFFF_FFFF, 7, 8, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5}));
    }

    private byte[] wire(Pdu pdu, boolean digests) {
        return harness.encode(pdu, digests, digests);
    }

    /** A hand-made PDU: BHS with opcode, AHS and data lengths set, then AHS, data, padding and digests as asked. */
    private static byte[] raw(int opcodeByte, int itt, byte[] ahs, byte[] data, boolean digests) {
        byte[] bhs = new byte[48];
        bhs[0] = (byte) opcodeByte;
        bhs[1] = (byte) 0x80;
        bhs[4] = (byte) (ahs.length / 4);
        bhs[5] = (byte) (data.length >>> 16);
        bhs[6] = (byte) (data.length >>> 8);
        bhs[7] = (byte) data.length;
        bhs[16] = (byte) (itt >>> 24);
        bhs[17] = (byte) (itt >>> 16);
        bhs[18] = (byte) (itt >>> 8);
        bhs[19] = (byte) itt;
        byte[] header = concat(bhs, ahs);
        byte[] padded = Arrays.copyOf(data, AdditionalHeaders.padded(data.length));
        return concat(header, digests ? digest(header) : new byte[0], padded,
                digests && data.length > 0 ? digest(padded) : new byte[0]);
    }

    private static byte[] digest(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(4);
        Crc32cDigest.write(b, Crc32cDigest.of(bytes));
        return b.array();
    }

    private static MalformedPdu assertMalformed(Object o, PduDefect defect, RejectReason reason, boolean close, int itt) {
        assertThat(o).isInstanceOf(MalformedPdu.class);
        MalformedPdu m = (MalformedPdu) o;
        assertThat(m.defect()).isEqualTo(defect);
        assertThat(m.reason()).isEqualTo(reason);
        assertThat(m.closeConnection()).isEqualTo(close);
        assertThat(m.itt()).isEqualTo(itt);
        assertThat(m.detail()).isNotBlank().doesNotContain("\n");
        return m;
    }

    @Test
    void reservedOpcodeIsAnsweredAndItsSegmentsSkipped() {
        byte[] bad = raw(0x07, 0x77, hex("00 01 3f 00"), new byte[] {9, 9, 9, 9, 9}, true);
        byte[] next = wire(nop(0x1001), true);
        byte[] stream = concat(bad, next);
        // Byte by byte, so skipping crosses many reads.
        byte[][] bytes = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) {
            bytes[i] = new byte[] {stream[i]};
        }
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, true, true), bytes);
        assertThat(out).hasSize(2);
        MalformedPdu m = assertMalformed(out.get(0), PduDefect.RESERVED_OPCODE, RejectReason.PROTOCOL_ERROR, false, 0x77);
        assertThat(m.bhs()).containsExactly(Arrays.copyOf(bad, 48));
        assertThat(m.opcodeCode()).isEqualTo(0x07);
        assertSamePdu(out.get(1), nop(0x1001));
        release(out);
        harness.assertAllReleased();
    }

    @Test
    void vendorSpecificOpcodeIsNotSupported() {
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, false, false),
                raw(0x1c, 0x78, new byte[0], new byte[] {1}, false), wire(nop(1), false));
        assertMalformed(out.get(0), PduDefect.VENDOR_SPECIFIC_OPCODE, RejectReason.COMMAND_NOT_SUPPORTED, false, 0x78);
        assertSamePdu(out.get(1), nop(1));
        release(out);
    }

    @Test
    void targetOpcodeSentToTheTargetIsAProtocolErrorAndDecodingContinues() {
        ScsiResponse response = new ScsiResponse(false, false, false, false, 0, 2, 0x42, 0, 1, 2, 3, 0, 0, 0,
                Unpooled.wrappedBuffer(hex("00 12 70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00")));
        byte[] bad = wire(response, true);
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, true, true), bad, wire(nop(2), true));
        assertThat(out).hasSize(2);
        MalformedPdu m = assertMalformed(out.get(0), PduDefect.WRONG_DIRECTION, RejectReason.PROTOCOL_ERROR, false, 0x42);
        assertThat(m.bhs()).containsExactly(Arrays.copyOf(bad, 48));
        assertSamePdu(out.get(1), nop(2));
        release(out);
        harness.assertAllReleased();
    }

    @Test
    void initiatorOpcodeSentToTheInitiatorIsAProtocolError() {
        List<Object> out = harness.decode(decoder(PduOrigin.TARGET, false, false), wire(nop(3), false));
        assertMalformed(out.get(0), PduDefect.WRONG_DIRECTION, RejectReason.PROTOCOL_ERROR, false, 3);
    }

    /** The "login claiming a 16 MiB data segment" probe: answered after 48 bytes, then nothing is read. */
    @Test
    void dataSegmentOverTheLimitIsFatalRightAfterTheBhs() {
        byte[] bhs = Arrays.copyOf(wire(new LoginRequest(true, false, 0, 1, 0, 0, 1, 0, 0x99, 0, 0, 0,
                Unpooled.EMPTY_BUFFER), false), 48);
        bhs[5] = bhs[6] = bhs[7] = (byte) 0xFF;
        IscsiPduDecoder decoder = decoder(PduOrigin.INITIATOR, false, false);
        EmbeddedChannel channel = harness.channel(decoder);

        channel.writeInbound(harness.buffer(bhs));
        MalformedPdu m = assertMalformed(channel.readInbound(), PduDefect.DATA_SEGMENT_TOO_LONG,
                RejectReason.PROTOCOL_ERROR, true, 0x99);
        assertThat(m.bhs()).containsExactly(bhs);
        assertThat(m.detail()).contains("16777215").contains("8192");
        assertThat(decoder.state()).isEqualTo(IscsiPduDecoder.State.DISCARD);

        // Whatever follows, even a valid PDU, is discarded.
        channel.writeInbound(harness.buffer(new byte[65536]));
        channel.writeInbound(harness.buffer(wire(nop(4), false)));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
        harness.assertAllReleased();
    }

    @Test
    void maxRecvDataSegmentLengthIsEnforcedAsSetAtRunTime() {
        byte[] exactly512 = wire(new NopOut(true, 0, 5, -1, 1, 1, Unpooled.wrappedBuffer(new byte[512])), false);
        byte[] over = wire(new NopOut(true, 0, 6, -1, 1, 1, Unpooled.wrappedBuffer(new byte[513])), false);
        List<Object> ok = harness.decode(decoder(PduOrigin.INITIATOR, false, false).maxRecvDataSegmentLength(512), exactly512);
        assertThat(ok).singleElement().isInstanceOf(NopOut.class);
        release(ok);
        List<Object> bad = harness.decode(decoder(PduOrigin.INITIATOR, false, false).maxRecvDataSegmentLength(512), over);
        assertMalformed(bad.get(0), PduDefect.DATA_SEGMENT_TOO_LONG, RejectReason.PROTOCOL_ERROR, true, 6);

        IscsiPduDecoder d = new IscsiPduDecoder(PduOrigin.INITIATOR);
        assertThat(d.maxRecvDataSegmentLength()).isEqualTo(8192);
        assertThatThrownBy(() -> d.maxRecvDataSegmentLength(511)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.maxRecvDataSegmentLength(1 << 24)).isInstanceOf(IllegalArgumentException.class);
        harness.assertAllReleased();
    }

    @Test
    void badHeaderDigestIsFatalAndEverythingAfterItDiscarded() {
        byte[] bad = wire(nop(0x10), true);
        bad[20] ^= 0x01; // TTT
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, true, true), bad, wire(nop(0x11), true));
        assertThat(out).hasSize(1);
        MalformedPdu m = assertMalformed(out.get(0), PduDefect.HEADER_DIGEST_ERROR, RejectReason.PROTOCOL_ERROR, true, 0x10);
        assertThat(m.bhs()).containsExactly(Arrays.copyOf(bad, 48));
        harness.assertAllReleased();
    }

    @Test
    void badDataDigestDropsThePduAndDecodingContinues() {
        ScsiCommand write = new ScsiCommand(false, true, false, true, 1, 0, 0x12, 8, 1, 1,
                SamplePdus.READ10_CDB.clone(), -1, harness.buffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        byte[] bad = wire(write, true);
        bad[48 + 4 + 2] ^= 0x40; // a data byte, after BHS and header digest
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, true, true), bad, wire(nop(0x13), true));
        assertThat(out).hasSize(2);
        MalformedPdu m = assertMalformed(out.get(0), PduDefect.DATA_DIGEST_ERROR, RejectReason.DATA_DIGEST_ERROR, false, 0x12);
        assertThat(m.bhs()).containsExactly(Arrays.copyOf(bad, 48));
        assertThat(m.opcodeCode()).isEqualTo(0x01);
        assertSamePdu(out.get(1), nop(0x13));
        release(out);
        harness.assertAllReleased();
    }

    @Test
    void ahsOnAPduThatHasNoneIsSkipped() {
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, false, false),
                raw(0x40, 0x20, hex("00 01 01 00"), new byte[] {1, 2}, false), wire(nop(0x21), false));
        assertMalformed(out.get(0), PduDefect.UNEXPECTED_AHS, RejectReason.PROTOCOL_ERROR, false, 0x20);
        assertSamePdu(out.get(1), nop(0x21));
        release(out);
    }

    @Test
    void dataOnALogoutRequestIsSkipped() {
        byte[] logout = wire(new LogoutRequest(true, 0, 0x22, 1, 1, 1), false);
        logout[7] = 6;
        byte[] bad = concat(logout, hex("01 02 03 04 05 06 00 00"));
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, false, false), bad, wire(nop(0x23), false));
        assertMalformed(out.get(0), PduDefect.UNEXPECTED_DATA, RejectReason.PROTOCOL_ERROR, false, 0x22);
        assertSamePdu(out.get(1), nop(0x23));
        release(out);
    }

    @Test
    void ahsLongerThanTotalAhsLengthIsFatal() {
        // TotalAHSLength 2 words, but the Extended CDB AHS claims 17 bytes.
        byte[] bad = raw(0x01, 0x24, hex("00 11 01 00 00 00 00 00"), new byte[0], false);
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, false, false), bad, wire(nop(0x25), false));
        assertThat(out).hasSize(1);
        assertMalformed(out.get(0), PduDefect.BAD_AHS, RejectReason.PROTOCOL_ERROR, true, 0x24);
    }

    @Test
    void bidirectionalReadAhsOfTheWrongLengthIsFatal() {
        byte[] bad = raw(0x01, 0x26, hex("00 04 02 00 00 00 10 00"), new byte[0], false);
        assertMalformed(harness.decode(decoder(PduOrigin.INITIATOR, false, false), bad).get(0),
                PduDefect.BAD_AHS, RejectReason.PROTOCOL_ERROR, true, 0x26);
    }

    @Test
    void unknownAhsTypeIsSkipped() {
        byte[] bad = raw(0x01, 0x27, hex("00 01 05 00"), new byte[] {1, 2, 3}, false);
        List<Object> out = harness.decode(decoder(PduOrigin.INITIATOR, false, false), bad, wire(nop(0x28), false));
        assertMalformed(out.get(0), PduDefect.UNKNOWN_AHS_TYPE, RejectReason.PROTOCOL_ERROR, false, 0x27);
        assertSamePdu(out.get(1), nop(0x28));
        release(out);
    }

    /**
     * The login handler turns digests on while it handles the final Login Request; the next PDU,
     * already in the same buffer, is decoded with digests.
     */
    @Test
    void digestsSwitchOnAtThePduBoundaryEvenWhenTheNextPduHasArrived() {
        IscsiPduDecoder decoder = decoder(PduOrigin.INITIATOR, false, false);
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = harness.channel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof LoginRequest login && login.transit() && login.nsg() == 3) {
                    decoder.headerDigest(true).dataDigest(true);
                }
                seen.add(msg);
            }
        });
        byte[] login = wire(new LoginRequest(true, false, 1, 3, 0, 0, 1, 0, 1, 0, 1, 0, Unpooled.EMPTY_BUFFER), false);
        channel.writeInbound(harness.buffer(concat(login, wire(nop(0x30), true))));
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isInstanceOf(LoginRequest.class);
        assertSamePdu(seen.get(1), nop(0x30));
        release(seen);
        channel.finish();
        harness.assertAllReleased();
    }

    @Test
    void aConnectionClosedInTheMiddleOfAPduLeaksNothing() {
        ScsiCommand write = new ScsiCommand(false, true, false, true, 1, 0, 0x31, 8, 1, 1,
                SamplePdus.READ10_CDB.clone(), -1, harness.buffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        byte[] whole = wire(write, true);
        IscsiPduDecoder decoder = decoder(PduOrigin.INITIATOR, true, true);
        EmbeddedChannel channel = harness.channel(decoder);
        channel.writeInbound(harness.buffer(Arrays.copyOf(whole, whole.length - 2))); // data digest incomplete
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.state()).isEqualTo(IscsiPduDecoder.State.READ_DATA_DIGEST);
        assertThat(channel.finish()).isFalse();
        harness.assertAllReleased();
    }
}
