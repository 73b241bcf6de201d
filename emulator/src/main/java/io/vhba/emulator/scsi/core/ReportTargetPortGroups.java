package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.miniport.scsi.SenseData;

/**
 * REPORT TARGET PORT GROUPS (SPC-4 6.37), answered by the core because target port groups belong to the target, not
 * to a logical unit: the core owns the port identities it also appends to VPD 83h (relative target port identifier,
 * target port group), so both answers come from one place. Implicit ALUA with a single target port group holding the
 * target's one port (every portal of the portal group is the same iSCSI target port, RFC 7143 §4.4.1), always
 * active/optimized.
 */
final class ReportTargetPortGroups {
    static final int SERVICE_ACTION = 0x0A;
    /** PARAMETER DATA FORMAT (byte 1 bits 7..5): 000b length only, 001b extended header. */
    private static final int LENGTH_ONLY = 0b000;
    private static final int EXTENDED = 0b001;
    /** One target port group descriptor with one relative target port identifier. */
    private static final int DESCRIPTOR_LENGTH = 8 + 4;
    /** SUPPORTED STATES: only AO_SUP, active/optimized. */
    private static final int AO_SUP = 0x01;

    private ReportTargetPortGroups() {}

    static boolean isReportTargetPortGroups(byte[] cdb) {
        return cdb.length >= 12 && (cdb[0] & 0xFF) == 0xA3 && (cdb[1] & 0x1F) == SERVICE_ACTION;
    }

    static CommandOutcome answer(HostMemory memory, ScsiTarget target, byte[] cdb) {
        int format = (cdb[1] & 0xE0) >>> 5;
        if (format != LENGTH_ONLY && format != EXTENDED) {
            return CommandOutcome.checkCondition(SenseData.invalidFieldInCdb(1, 7));
        }
        long alloc = TransferLength.field(cdb, 6, 4);
        int header = format == EXTENDED ? 8 : 4;
        byte[] b = new byte[header + DESCRIPTOR_LENGTH];
        put32(b, 0, DESCRIPTOR_LENGTH); // RETURN DATA LENGTH: the descriptors after the header
        if (format == EXTENDED) {
            b[4] = (byte) (EXTENDED << 4); // FORMAT TYPE; IMPLICIT TRANSITION TIME 0: no transitions happen
        }
        int d = header;
        b[d] = (byte) 0x80; // PREF: the preferred group; ASYMMETRIC ACCESS STATE 0h active/optimized
        b[d + 1] = (byte) AO_SUP;
        b[d + 2] = (byte) (target.portalGroupTag() >> 8); // TARGET PORT GROUP, as the VPD 83h designator says
        b[d + 3] = (byte) target.portalGroupTag();
        b[d + 5] = 0x00; // STATUS CODE: no status available
        b[d + 7] = 1; // TARGET PORT COUNT
        b[d + 10] = (byte) (target.relativeTargetPortId() >> 8);
        b[d + 11] = (byte) target.relativeTargetPortId();
        int n = (int) Math.min(alloc, b.length);
        HostBuffer buf = memory.allocate(Math.max(1, n));
        buf.put(0, b, 0, n);
        return CommandOutcome.good(buf, n);
    }

    private static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
