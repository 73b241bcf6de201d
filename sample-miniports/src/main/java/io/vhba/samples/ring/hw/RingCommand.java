package io.vhba.samples.ring.hw;

import io.vhba.hw.DataDirection;
import io.vhba.hw.Dma;
import io.vhba.samples.common.hw.DeviceCommand;
import io.vhba.samples.ring.hw.RingLayout.SqEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A command the device owns: a submission entry as fetched and the queue it came from. Whether it
 * is still pending, and the rule that every DMA it makes holds its monitor so that ABORT,
 * LUN_RESET and RESET can hand its buffers back to the driver while a worker thread is
 * mid-transfer, are {@link DeviceCommand}'s.
 */
final class RingCommand extends DeviceCommand {

    final DeviceQueue queue;
    final int commandId;
    /** Non-null when the command must not run: it completes with this host status. */
    final HostStatus preset;
    final Direction direction;
    final int taskAttribute;
    final int target;
    final int lun;
    final int senseLength;
    final long senseAddress;
    final int dataLength;
    final int sgCount;
    final long sgAddress;
    final byte[] cdb;
    final int cdbLength;

    private RingCommand(DeviceQueue queue, int commandId, HostStatus preset, ByteBuffer e) {
        this.queue = queue;
        this.commandId = commandId;
        this.preset = preset;
        int flags = e.get(SqEntry.FLAGS) & 0xFF;
        this.direction = SqEntry.direction(flags);
        this.taskAttribute = SqEntry.taskAttribute(flags);
        this.target = e.get(SqEntry.TARGET) & 0xFF;
        this.lun = e.get(SqEntry.LUN) & 0xFF;
        this.senseLength = e.getShort(SqEntry.SENSE_LENGTH) & 0xFFFF;
        this.senseAddress = e.getLong(SqEntry.SENSE_ADDRESS);
        this.dataLength = e.getInt(SqEntry.DATA_LENGTH);
        this.sgCount = e.getInt(SqEntry.SG_COUNT);
        this.sgAddress = e.getLong(SqEntry.SG_ADDRESS);
        this.cdbLength = e.get(SqEntry.CDB_LENGTH) & 0xFF;
        this.cdb = Arrays.copyOfRange(e.array(), SqEntry.CDB, SqEntry.CDB + SqEntry.CDB_MAX);
    }

    /**
     * Reads submission entry {@code index} of {@code queue} (the SQ_TAIL side effect). An entry that
     * breaks the datasheet rules completes INVALID without running. A read that faults is thrown:
     * without the entry the device does not know whom to answer, so it is fatal.
     */
    static RingCommand fetch(DeviceQueue queue, int index, Dma dma, int sgLimit) {
        ByteBuffer e = ByteBuffer.allocate(SqEntry.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dma.read(queue.sqEntryAddress(index), e);
        int commandId = e.getShort(SqEntry.COMMAND_ID) & 0xFFFF;
        int flags = e.get(SqEntry.FLAGS) & 0xFF;
        int cdbLength = e.get(SqEntry.CDB_LENGTH) & 0xFF;
        Direction direction = SqEntry.direction(flags);
        int dataLength = e.getInt(SqEntry.DATA_LENGTH);
        int sgCount = e.getInt(SqEntry.SG_COUNT);
        boolean valid = cdbLength >= 1 && cdbLength <= SqEntry.CDB_MAX
                && (flags & ~0x0F) == 0 && SqEntry.taskAttribute(flags) != 3
                && dataLength >= 0 && sgCount >= 0 && sgCount <= sgLimit
                && (direction == Direction.NONE ? dataLength == 0 && sgCount == 0 : dataLength == 0 || sgCount > 0);
        return new RingCommand(queue, commandId, valid ? null : HostStatus.INVALID, e);
    }

    @Override
    public int dataLength() {
        return dataLength;
    }

    @Override
    public DataDirection dataDirection() {
        return switch (direction) {
            case NONE -> DataDirection.NONE;
            case IN -> DataDirection.IN;
            case OUT -> DataDirection.OUT;
            case BIDIRECTIONAL -> DataDirection.BIDIRECTIONAL;
        };
    }

    /** True if a LUN_RESET of {@code resetTarget}/{@code resetLun} (every LUN with {@code allLuns}) covers this command. */
    boolean addressedTo(int resetTarget, int resetLun, boolean allLuns) {
        return target == resetTarget && (allLuns || lun == resetLun);
    }
}
