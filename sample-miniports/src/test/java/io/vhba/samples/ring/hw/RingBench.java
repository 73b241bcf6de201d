package io.vhba.samples.ring.hw;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.mailbox.hw.FakeDeviceContext;
import io.vhba.samples.mailbox.hw.FakeHostMemory;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import io.vhba.samples.ring.hw.RingLayout.CqEntry;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import io.vhba.samples.ring.hw.RingRegister.Control;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A register-level test driver for the ring controller alone: it lays out each pair's rings in
 * {@link FakeHostMemory}, programs BAR0 through the register file, writes submission entries,
 * moves the doorbells and decodes the completion entries the device wrote.
 */
final class RingBench implements AutoCloseable {
    /** A decoded completion entry. */
    record Completion(int commandId, int sqHead, int transferred, int scsiStatus, HostStatus host, int senseLength,
                      int sqId, int phase) {}

    final FakeHostMemory memory = new FakeHostMemory(1024);
    final RecordingInterrupts interrupts = new RecordingInterrupts();
    final RingController controller;
    final RegisterFile bar0;
    final int queues;
    final int size;
    final long[] sqBase;
    final long[] cqBase;
    final int[] sqTail;
    final int[] cqHead;

    RingBench(ControllerOptions options, int queues, int size, AttachedUnit... units) {
        this.controller = new RingController(options);
        this.bar0 = controller.bars().get(0);
        this.queues = queues;
        this.size = size;
        this.sqBase = new long[queues];
        this.cqBase = new long[queues];
        this.sqTail = new int[queues];
        this.cqHead = new int[queues];
        for (int q = 0; q < queues; q++) {
            sqBase[q] = memory.allocateContiguous(size * SqEntry.SIZE);
            cqBase[q] = memory.allocateContiguous(size * CqEntry.SIZE);
        }
        controller.attach(new FakeDeviceContext(memory, interrupts, List.of(units)));
    }

    /** Programs every pair (vector = 10 + queue, so vectors and queues are told apart) and enables the device. */
    RingBench enable() {
        write(RingRegister.NUM_QUEUES, queues);
        for (int q = 0; q < queues; q++) {
            write(RingRegister.SQ_BASE_LO, q, (int) sqBase[q]);
            write(RingRegister.SQ_BASE_HI, q, (int) (sqBase[q] >>> 32));
            write(RingRegister.CQ_BASE_LO, q, (int) cqBase[q]);
            write(RingRegister.CQ_BASE_HI, q, (int) (cqBase[q] >>> 32));
            write(RingRegister.QUEUE_SIZE, q, size);
            write(RingRegister.QUEUE_VECTOR, q, vector(q));
        }
        write(RingRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE);
        return this;
    }

    static int vector(int queue) {
        return 10 + queue;
    }

    void write(RingRegister r, long value) {
        bar0.write(r.offset(), Width.DWORD, value);
    }

    void write(RingRegister r, int queue, long value) {
        bar0.write(r.offset(queue), Width.DWORD, value);
    }

    int read(RingRegister r) {
        return (int) bar0.read(r.offset(), Width.DWORD);
    }

    /**
     * Writes a submission entry at the queue's tail (without moving the doorbell): {@code list} is the
     * physical address of {@code sgCount} entries, {@code sense} where sense data goes (0: none).
     */
    void submit(int queue, int commandId, byte[] cdb, Direction direction, int lun, int dataLength, long list, int sgCount,
                long sense) {
        long e = sqBase[queue] + (long) sqTail[queue] * SqEntry.SIZE;
        memory.put(e, new byte[SqEntry.SIZE]);
        memory.putShort(e + SqEntry.COMMAND_ID, commandId);
        memory.putByte(e + SqEntry.CDB_LENGTH, cdb.length);
        memory.putByte(e + SqEntry.FLAGS, SqEntry.flags(direction, 0));
        memory.putByte(e + SqEntry.TARGET, 0);
        memory.putByte(e + SqEntry.LUN, lun);
        memory.putShort(e + SqEntry.SENSE_LENGTH, sense == 0 ? 0 : 32);
        memory.putInt(e + SqEntry.DATA_LENGTH, dataLength);
        memory.putInt(e + SqEntry.SG_COUNT, sgCount);
        memory.putLong(e + SqEntry.SG_ADDRESS, list);
        memory.putLong(e + SqEntry.SENSE_ADDRESS, sense);
        memory.put(e + SqEntry.CDB, cdb);
        sqTail[queue] = (sqTail[queue] + 1) % size;
    }

    /** A command without data. */
    void submit(int queue, int commandId, byte[] cdb) {
        submit(queue, commandId, cdb, Direction.NONE, 0, 0, 0, 0, 0);
    }

    /** Moves SQ_TAIL[queue] to the driver's tail. */
    void ring(int queue) {
        write(RingRegister.SQ_TAIL, queue, sqTail[queue]);
    }

    /** Writes a hardware scatter/gather list into fresh memory and returns its physical address. */
    long sgList(long[] addresses, int[] lengths) {
        long list = memory.allocateContiguous(addresses.length * SgEntry.SIZE);
        for (int i = 0; i < addresses.length; i++) {
            memory.putLong(list + (long) i * SgEntry.SIZE + SgEntry.ADDRESS, addresses[i]);
            memory.putInt(list + (long) i * SgEntry.SIZE + SgEntry.LENGTH, lengths[i]);
        }
        return list;
    }

    /** Completion entry {@code index} of {@code queue}, decoded. */
    Completion completion(int queue, int index) {
        ByteBuffer b = ByteBuffer.wrap(memory.bytes(cqBase[queue] + (long) index * CqEntry.SIZE, CqEntry.SIZE))
                .order(ByteOrder.LITTLE_ENDIAN);
        return new Completion(b.getShort(CqEntry.COMMAND_ID) & 0xFFFF, b.getShort(CqEntry.SQ_HEAD) & 0xFFFF,
                b.getInt(CqEntry.TRANSFERRED), b.get(CqEntry.SCSI_STATUS) & 0xFF, HostStatus.of(b.get(CqEntry.HOST_STATUS)),
                b.get(CqEntry.SENSE_LENGTH) & 0xFF, b.getShort(CqEntry.SQ_ID) & 0xFFFF, b.getShort(CqEntry.STATUS) & CqEntry.PHASE);
    }

    /** Consumes {@code n} completion entries of {@code queue} and writes CQ_HEAD. */
    void consume(int queue, int n) {
        cqHead[queue] = (cqHead[queue] + n) % size;
        write(RingRegister.CQ_HEAD, queue, cqHead[queue]);
    }

    long stat(String key) {
        return controller.statistics().get(key);
    }

    @Override
    public void close() {
        controller.detach();
    }
}
