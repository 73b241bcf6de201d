package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import java.util.List;

/** REPORT SUPPORTED OPERATION CODES (SPC-4 6.35), answered from the command table itself. */
final class SupportedOperationCodes {

    /** SUPPORT field (SPC-4 table 310). */
    private static final int NOT_SUPPORTED = 0b001;
    private static final int SUPPORTED = 0b011;
    private static final int TIMEOUTS_DESCRIPTOR = 12;

    private SupportedOperationCodes() {}

    static ScsiResult report(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean rctd = Bytes.bit(cdb, 2, 7);
        int options = Bytes.u8(cdb, 2) & 0x07;
        int opcode = Bytes.u8(cdb, 3);
        int serviceAction = Bytes.u16(cdb, 4);
        long allocation = Bytes.u32(cdb, 6);
        CommandTable table = d.table;
        byte[] data;
        switch (options) {
            case 0b000:
                data = all(table, rctd);
                break;
            case 0b001: // the operation code alone: an error for commands with service actions
                if (table.hasServiceActions(opcode)) {
                    throw CheckCondition.invalidField(2, 2);
                }
                data = one(table, table.find(opcode, -1), rctd);
                break;
            case 0b010: // operation code and service action: an error for commands without
                if (!table.hasServiceActions(opcode)) {
                    throw CheckCondition.invalidField(2, 2);
                }
                data = one(table, table.find(opcode, serviceAction), rctd);
                break;
            case 0b011: // either, as the operation code requires
                data = one(table, table.find(opcode, table.hasServiceActions(opcode) ? serviceAction : -1), rctd);
                break;
            default:
                throw CheckCondition.invalidField(2, 2);
        }
        return ScsiResult.good(Disk.sendDataIn(c, data, data.length, allocation));
    }

    /** All commands parameter data (SPC-4 6.35.3): header and one command descriptor per table entry. */
    private static byte[] all(CommandTable table, boolean rctd) {
        List<DiskCommand> commands = table.supported();
        int each = 8 + (rctd ? TIMEOUTS_DESCRIPTOR : 0);
        byte[] b = new byte[4 + commands.size() * each];
        Bytes.put32(b, 0, b.length - 4);
        int p = 4;
        for (DiskCommand cmd : commands) {
            b[p] = (byte) cmd.opcode.code();
            if (cmd.serviceAction >= 0) {
                Bytes.put16(b, p + 2, cmd.serviceAction);
            }
            b[p + 5] = (byte) ((rctd ? 0x02 : 0) | (cmd.serviceAction >= 0 ? 0x01 : 0)); // CTDP, SERVACTV
            Bytes.put16(b, p + 6, cmd.cdbLength());
            if (rctd) {
                timeouts(b, p + 8, cmd);
            }
            p += each;
        }
        return b;
    }

    /** One command parameter data (SPC-4 6.35.4): support, CDB size, CDB usage data, timeouts. */
    private static byte[] one(CommandTable table, DiskCommand cmd, boolean rctd) {
        if (cmd == null) {
            byte[] b = new byte[4];
            b[1] = NOT_SUPPORTED;
            return b;
        }
        byte[] usage = table.reportedUsage(cmd);
        byte[] b = new byte[4 + usage.length + (rctd ? TIMEOUTS_DESCRIPTOR : 0)];
        b[1] = (byte) ((rctd ? 0x80 : 0) | SUPPORTED); // CTDP, SUPPORT
        Bytes.put16(b, 2, usage.length);
        System.arraycopy(usage, 0, b, 4, usage.length);
        if (rctd) {
            timeouts(b, 4 + usage.length, cmd);
        }
        return b;
    }

    /** Command timeouts descriptor (SPC-4 6.35.5). */
    private static void timeouts(byte[] b, int p, DiskCommand cmd) {
        Bytes.put16(b, p, TIMEOUTS_DESCRIPTOR - 2);
        Bytes.put32(b, p + 4, cmd.timeouts.nominal);
        Bytes.put32(b, p + 8, cmd.timeouts.recommended);
    }
}
