package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.SenseData;

/**
 * REQUEST SENSE answered by the core (SPC-4 6.39): a pending unit attention, or the sense of a
 * missing LUN, returned as parameter data with GOOD status, in fixed format or, with the DESC
 * bit, descriptor format (SPC-4 4.5.2).
 */
final class RequestSense {
    private RequestSense() {}

    static CommandOutcome withSense(HostMemory memory, byte[] cdb, SenseData sense) {
        boolean desc = (cdb[1] & 1) != 0;
        byte[] data;
        if (desc) {
            data = new byte[8];
            data[0] = 0x72;
            data[1] = (byte) sense.senseKey().code();
            data[2] = (byte) sense.sense().asc();
            data[3] = (byte) sense.sense().ascq();
        } else {
            data = sense.toBytes();
        }
        int alloc = cdb[4] & 0xFF;
        int n = Math.min(alloc, data.length);
        HostBuffer b = memory.allocate(Math.max(1, n));
        b.put(0, data, 0, n);
        return CommandOutcome.good(b, n);
    }
}
