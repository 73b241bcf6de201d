package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.hw.ScsiBus;
import java.nio.ByteBuffer;
import java.util.Collection;

/** REPORT LUNS (SPC-4 6.33), answered from the target's LUN map. */
final class ReportLuns {
    private ReportLuns() {}

    /** The LUNs of {@code target} that {@code visible} lets the initiator see. */
    static CommandOutcome answer(HostMemory memory, ScsiTarget target, io.vhba.emulator.scsi.core.access.LunMask visible,
                                 byte[] cdb) {
        int select = cdb[2] & 0xFF;
        long alloc = TransferLength.field(cdb, 6, 4);
        if (select > 2) {
            return CommandOutcome.checkCondition(io.vhba.miniport.scsi.SenseData.invalidFieldInCdb(2, -1));
        }
        if (alloc < 16) {
            return CommandOutcome.checkCondition(io.vhba.miniport.scsi.SenseData.invalidFieldInCdb(6, -1));
        }
        // SELECT REPORT 1 asks for well-known LUs only; this target has none.
        Collection<TargetLun> luns = select == 1 ? java.util.List.of()
                : target.luns().stream().filter(l -> visible.includes(l.lun())).toList();
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * luns.size());
        b.putInt(8 * luns.size()).putInt(0);
        for (TargetLun l : luns) {
            b.putLong(ScsiBus.encodeLun(l.lun()));
        }
        int n = (int) Math.min(alloc, b.capacity());
        HostBuffer buf = memory.allocate(Math.max(1, n));
        buf.put(0, b.array(), 0, n);
        return CommandOutcome.good(buf, n);
    }
}
