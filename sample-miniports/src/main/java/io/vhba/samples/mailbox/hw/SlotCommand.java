package io.vhba.samples.mailbox.hw;

import io.vhba.hw.DataDirection;
import io.vhba.hw.Dma;
import io.vhba.hw.DmaFault;
import io.vhba.samples.common.hw.DeviceCommand;
import io.vhba.samples.mailbox.hw.MailboxLayout.Slot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A command the device owns: the slot's command area as latched at DOORBELL. Whether it is still
 * pending, and the rule that every DMA it makes holds its monitor so that ABORT, LUN_RESET and
 * RESET can hand the slot (and the SRB's buffers) back to the driver safely while a worker thread
 * is mid-transfer, are {@link DeviceCommand}'s.
 */
final class SlotCommand extends DeviceCommand {

    final int slot;
    final ActiveConfig config;
    /** Non-null when the command must not run: it completes with this host status. */
    final HostStatus preset;
    final int vector;
    final int target;
    final int lun;
    final SlotDirection direction;
    final int taskAttribute;
    final int dataLength;
    final int sgCount;
    final long sgAddress;
    final byte[] cdb;
    final int cdbLength;
    /** False when the command area could not be read: target and LUN are unknown. */
    final boolean addressKnown;

    private SlotCommand(int slot, ActiveConfig config, HostStatus preset, int vector, int target, int lun,
                        SlotDirection direction, int taskAttribute, int dataLength, int sgCount, long sgAddress,
                        byte[] cdb, int cdbLength, boolean addressKnown) {
        this.slot = slot;
        this.config = config;
        this.preset = preset;
        this.vector = vector;
        this.target = target;
        this.lun = lun;
        this.direction = direction;
        this.taskAttribute = taskAttribute;
        this.dataLength = dataLength;
        this.sgCount = sgCount;
        this.sgAddress = sgAddress;
        this.cdb = cdb;
        this.cdbLength = cdbLength;
        this.addressKnown = addressKnown;
    }

    /**
     * Reads and checks the command area of {@code slot} (the DOORBELL side effect). A command
     * area that cannot be read completes with DMA_ERROR on vector 0, since its vector is unknown;
     * one that breaks the datasheet rules completes with INVALID.
     */
    static SlotCommand latch(int slot, ActiveConfig config, Dma dma, int sgLimit) {
        ByteBuffer area = ByteBuffer.allocate(Slot.COMMAND_AREA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try {
            dma.read(config.slotAddress(slot), area);
        } catch (DmaFault f) {
            return new SlotCommand(slot, config, HostStatus.DMA_ERROR, 0, 0, 0, SlotDirection.NONE, 0, 0, 0, 0,
                    new byte[0], 0, false);
        }
        int cdbLength = area.get(Slot.CDB_LENGTH) & 0xFF;
        SlotDirection direction = SlotDirection.of(area.get(Slot.DIRECTION) & 0xFF);
        int taskAttribute = area.get(Slot.TASK_ATTRIBUTE) & 0xFF;
        int vector = area.get(Slot.VECTOR) & 0xFF;
        int target = area.get(Slot.TARGET) & 0xFF;
        int lun = area.get(Slot.LUN) & 0xFF;
        int reserved = area.getShort(Slot.RESERVED_06);
        int dataLength = area.getInt(Slot.DATA_LENGTH);
        int sgCount = area.getInt(Slot.SG_COUNT);
        long sgAddress = area.getLong(Slot.SG_ADDRESS);
        byte[] cdb = Arrays.copyOfRange(area.array(), Slot.CDB, Slot.CDB + Slot.CDB_MAX);

        boolean vectorValid = vector < config.numVectors();
        boolean valid = vectorValid
                && cdbLength >= 1 && cdbLength <= Slot.CDB_MAX
                && direction != null
                && (taskAttribute == 0 || taskAttribute == 1 || taskAttribute == 2)
                && reserved == 0
                && dataLength >= 0
                && sgCount >= 0 && sgCount <= sgLimit
                && (direction == SlotDirection.NONE ? dataLength == 0 && sgCount == 0 : dataLength == 0 || sgCount > 0);
        return new SlotCommand(slot, config, valid ? null : HostStatus.INVALID, vectorValid ? vector : 0, target, lun,
                direction == null ? SlotDirection.NONE : direction, taskAttribute, dataLength, sgCount, sgAddress,
                cdb, cdbLength, true);
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

    /** True if a LUN_RESET of {@code target}/{@code lun} (every LUN with {@code allLuns}) covers this command. */
    boolean addressedTo(int resetTarget, int resetLun, boolean allLuns) {
        return addressKnown && target == resetTarget && (allLuns || lun == resetLun);
    }
}
