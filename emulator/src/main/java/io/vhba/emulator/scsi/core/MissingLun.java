package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;

/** Commands addressed to a LUN the target does not have (SPC-4 3.1.74 "incorrect logical unit"). */
final class MissingLun {
    private static final SenseData NOT_SUPPORTED = SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);

    private MissingLun() {}

    static CommandOutcome answer(HostMemory memory, byte[] cdb) {
        ScsiOpcode op = ScsiOpcode.of(cdb[0]);
        if (op == ScsiOpcode.INQUIRY && (cdb[1] & 1) == 0 && cdb[2] == 0) {
            // Peripheral qualifier 011b, type 1Fh: no logical unit here (SPC-4 6.6.2).
            byte[] std = new byte[36];
            std[0] = 0x7F;
            std[2] = 0x06;
            std[3] = 0x02;
            std[4] = 31;
            int alloc = ((cdb[3] & 0xFF) << 8) | (cdb[4] & 0xFF);
            int n = Math.min(alloc, std.length);
            HostBuffer b = memory.allocate(Math.max(1, n));
            b.put(0, std, 0, n);
            return CommandOutcome.good(b, n);
        }
        if (op == ScsiOpcode.REQUEST_SENSE) {
            return RequestSense.withSense(memory, cdb, NOT_SUPPORTED);
        }
        return CommandOutcome.checkCondition(NOT_SUPPORTED);
    }
}
