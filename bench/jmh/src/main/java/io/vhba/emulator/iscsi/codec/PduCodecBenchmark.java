package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vhba.emulator.iscsi.pdu.DataIn;
import io.vhba.emulator.iscsi.pdu.Pdu;
import io.vhba.emulator.iscsi.pdu.ScsiCommand;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The iSCSI codec on the two PDUs of every 4 KiB read: a SCSI Command (READ(16), no immediate data) decoded from the
 * wire and encoded again, and a Data-In with its 4 KiB payload and status (S bit) encoded and decoded again. The
 * decoders run in a Netty pipeline ({@link EmbeddedChannel}) as they do on a connection, with the target's pooled
 * direct allocator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PduCodecBenchmark {
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final IscsiPduEncoder encoder = new IscsiPduEncoder();
    private EmbeddedChannel fromInitiator;
    private EmbeddedChannel fromTarget;
    private ByteBuf commandWire;
    private ByteBuf payload;
    private int itt;

    @Setup
    public void setUp() {
        fromInitiator = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.INITIATOR));
        fromTarget = new EmbeddedChannel(new IscsiPduDecoder(PduOrigin.TARGET));
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x88; // READ(16) of 8 blocks at LBA 4096
        cdb[8] = 0x10;
        cdb[13] = 8;
        ScsiCommand c = new ScsiCommand(false, true, true, false, 1, 0L, 0x42, 4096, 7, 3, cdb, -1, Unpooled.EMPTY_BUFFER);
        ByteBuf wire = encoder.encode(alloc, c);
        commandWire = Unpooled.directBuffer(wire.readableBytes()).writeBytes(wire);
        wire.release();
        payload = Unpooled.directBuffer(4096).writeZero(4096);
    }

    @TearDown
    public void tearDown() {
        fromInitiator.finishAndReleaseAll();
        fromTarget.finishAndReleaseAll();
        commandWire.release();
        payload.release();
    }

    /** One SCSI Command off the wire into its record, then back onto the wire. */
    @Benchmark
    public int scsiCommandDecodeEncode() {
        fromInitiator.writeInbound(commandWire.retainedDuplicate());
        ScsiCommand c = fromInitiator.readInbound();
        ByteBuf out = encoder.encode(alloc, c);
        int n = out.readableBytes() + c.cdb()[0];
        out.release();
        c.release();
        return n;
    }

    /** The last Data-In of a 4 KiB read (status in it) onto the wire, then off the wire again. */
    @Benchmark
    public int dataInEncodeDecode() {
        DataIn d = new DataIn(true, false, false, false, true, 0, 0L, ++itt, Pdu.RESERVED_TAG, 11, 12, 75, 0, 0, 0, payload);
        fromTarget.writeInbound(encoder.encode(alloc, d));
        DataIn back = fromTarget.readInbound();
        int n = back.data().readableBytes() + back.itt();
        back.release();
        return n;
    }
}
