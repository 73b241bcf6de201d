package io.vhba.samples.mailbox.hw;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.samples.common.hw.SgEntry;
import io.vhba.samples.mailbox.hw.MailboxLayout.CqEntry;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import java.util.List;

/**
 * A register-level test driver for the controller alone: it lays out the slot array and the
 * completion queues in {@link FakeHostMemory}, programs BAR0 through the register file, fills
 * slots and reads what the device wrote back.
 */
final class ControllerBench implements AutoCloseable {
    final FakeHostMemory memory = new FakeHostMemory(1024);
    final RecordingInterrupts interrupts = new RecordingInterrupts();
    final MailboxController controller;
    final RegisterFile bar0;
    final int slots;
    final int vectors;
    final int depth;
    final long slotBase;
    final long cqBase;

    ControllerBench(ControllerOptions options, int vectors, AttachedUnit... units) {
        this.controller = new MailboxController(options);
        this.bar0 = controller.bars().get(0);
        this.slots = options.slots();
        this.vectors = vectors;
        this.depth = slots + 1;
        this.slotBase = memory.allocateContiguous(slots * Slot.SIZE);
        this.cqBase = memory.allocateContiguous(vectors * depth * CqEntry.SIZE);
        controller.attach(new FakeDeviceContext(memory, interrupts, List.of(units)));
    }

    /** Programs the configuration registers and enables the device with interrupts on. */
    ControllerBench enable(boolean msix) {
        write(MailboxRegister.SLOT_BASE_LO, (int) slotBase);
        write(MailboxRegister.SLOT_BASE_HI, (int) (slotBase >>> 32));
        write(MailboxRegister.NUM_SLOTS, slots);
        write(MailboxRegister.NUM_VECTORS, vectors);
        write(MailboxRegister.CQ_BASE_LO, (int) cqBase);
        write(MailboxRegister.CQ_BASE_HI, (int) (cqBase >>> 32));
        write(MailboxRegister.CQ_DEPTH, depth);
        write(MailboxRegister.CONTROL, Control.ENABLE | Control.INTR_ENABLE | (msix ? Control.MSIX_ENABLE : 0));
        return this;
    }

    void write(MailboxRegister r, long value) {
        bar0.write(r.offset(), Width.DWORD, value);
    }

    void write(MailboxRegister r, int index, long value) {
        bar0.write(r.offset(index), Width.DWORD, value);
    }

    int read(MailboxRegister r) {
        return (int) bar0.read(r.offset(), Width.DWORD);
    }

    long slotAddress(int slot) {
        return slotBase + (long) slot * Slot.SIZE;
    }

    /** Fills a slot's command area; {@code sgList} is the physical address of a list of {@code sgCount} entries. */
    void fillSlot(int slot, byte[] cdb, SlotDirection direction, int vector, int target, int lun,
                  int dataLength, long sgList, int sgCount) {
        long s = slotAddress(slot);
        memory.put(s, new byte[Slot.SIZE]);
        memory.putByte(s + Slot.CDB_LENGTH, cdb.length);
        memory.putByte(s + Slot.DIRECTION, direction.code());
        memory.putByte(s + Slot.TASK_ATTRIBUTE, 0);
        memory.putByte(s + Slot.VECTOR, vector);
        memory.putByte(s + Slot.TARGET, target);
        memory.putByte(s + Slot.LUN, lun);
        memory.putInt(s + Slot.DATA_LENGTH, dataLength);
        memory.putInt(s + Slot.SG_COUNT, sgCount);
        memory.putLong(s + Slot.SG_ADDRESS, sgList);
        memory.put(s + Slot.CDB, cdb);
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

    void ring(int slot) {
        write(MailboxRegister.DOORBELL, slot);
    }

    /** The completion area bytes the device wrote (slot bytes 0x38..0x5F). */
    byte[] completionArea(int slot) {
        return memory.bytes(slotAddress(slot) + Slot.COMPLETION_AREA, Slot.COMPLETION_AREA_SIZE);
    }

    int hostStatus(int slot) {
        return memory.getByte(slotAddress(slot) + Slot.HOST_STATUS);
    }

    /** Completion queue entry {@code index} of {@code vector}: {slot, flags}. */
    int[] cqEntry(int vector, int index) {
        long e = cqBase + ((long) vector * depth + index) * CqEntry.SIZE;
        return new int[] {memory.getInt(e + CqEntry.SLOT), memory.getInt(e + CqEntry.FLAGS)};
    }

    long stat(String key) {
        return controller.statistics().get(key);
    }

    @Override
    public void close() {
        controller.detach();
    }
}
