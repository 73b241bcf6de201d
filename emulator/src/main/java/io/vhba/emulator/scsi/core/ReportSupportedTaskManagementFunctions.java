package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.SenseData;

/**
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.39), answered by the core: task
 * management is done by the transport and the core (iscsi.session TaskManagement, carried into
 * the engine as ABORT_COMMAND / RESET_LOGICAL_UNIT SRBs), not by the device. The bits say what
 * TaskManagement really does: ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET and
 * TARGET RESET (iSCSI TARGET WARM/COLD RESET); CLEAR ACA (no NACA), QUERY TASK, QUERY TASK SET,
 * QUERY ASYNCHRONOUS EVENT and I_T NEXUS RESET are not offered.
 */
final class ReportSupportedTaskManagementFunctions {
    static final int SERVICE_ACTION = 0x0D;
    /** Byte 0: ATS, ATSS, CACAS, CTSS, LURS, QTS, TRS, WAKES from bit 7 down. */
    private static final int ATS = 0x80;
    private static final int ATSS = 0x40;
    private static final int CTSS = 0x10;
    private static final int LURS = 0x08;
    private static final int TRS = 0x02;
    /** REPD=1: the extended format, 16 bytes (ADDITIONAL DATA LENGTH 0Ch, no timeouts: TMFTMOV 0). */
    private static final int EXTENDED_LENGTH = 16;
    private static final int BASIC_LENGTH = 4;

    private ReportSupportedTaskManagementFunctions() {}

    static boolean isReport(byte[] cdb) {
        return cdb.length >= 12 && (cdb[0] & 0xFF) == 0xA3 && (cdb[1] & 0x1F) == SERVICE_ACTION;
    }

    static CommandOutcome answer(HostMemory memory, byte[] cdb) {
        boolean repd = (cdb[2] & 0x80) != 0;
        long alloc = TransferLength.field(cdb, 6, 4);
        if (alloc < BASIC_LENGTH) {
            // SPC-4 6.39.1: an ALLOCATION LENGTH below 4 is an invalid field.
            return CommandOutcome.checkCondition(SenseData.invalidFieldInCdb(6, -1));
        }
        byte[] b = new byte[repd ? EXTENDED_LENGTH : BASIC_LENGTH];
        b[0] = (byte) (ATS | ATSS | CTSS | LURS | TRS);
        if (repd) {
            b[3] = EXTENDED_LENGTH - BASIC_LENGTH; // ADDITIONAL DATA LENGTH
        }
        int n = (int) Math.min(alloc, b.length);
        HostBuffer buf = memory.allocate(n);
        buf.put(0, b, 0, n);
        return CommandOutcome.good(buf, n);
    }
}
