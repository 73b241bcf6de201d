package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.miniport.scsi.ScsiStatus;
import io.vhba.miniport.scsi.SenseData;

/**
 * The end of a command: its status, sense data, and the Data-In it produced. The receiver owns
 * {@code dataIn} (one reference) and releases it after sending.
 *
 * @param dataIn       the Data-In bytes (from offset 0), or null
 * @param dataInLength how many bytes of {@code dataIn} the device produced (before clipping to the transport's length)
 * @param dataOutWanted bytes of Data-Out the CDB asked for (to report write overflow and underflow)
 */
public record CommandOutcome(ScsiStatus status, byte[] sense, HostBuffer dataIn, int dataInLength, long dataOutWanted) {

    public static CommandOutcome of(ScsiStatus status) {
        return new CommandOutcome(status, null, null, 0, 0);
    }

    public static CommandOutcome checkCondition(SenseData sense) {
        return new CommandOutcome(ScsiStatus.CHECK_CONDITION, sense.toBytes(), null, 0, 0);
    }

    public static CommandOutcome good(HostBuffer data, int length) {
        return new CommandOutcome(ScsiStatus.GOOD, null, data, length, 0);
    }

    /** The same outcome with the write's wanted length attached. */
    public CommandOutcome withDataOutWanted(long wanted) {
        return new CommandOutcome(status, sense, dataIn, dataInLength, wanted);
    }

    public void release() {
        if (dataIn != null) {
            dataIn.release();
        }
    }
}
