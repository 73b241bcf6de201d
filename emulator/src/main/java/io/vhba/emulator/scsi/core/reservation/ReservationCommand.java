package io.vhba.emulator.scsi.core.reservation;

import io.vhba.miniport.scsi.ScsiOpcode;
import io.vhba.miniport.scsi.SenseData;

/**
 * The reservation commands the target core answers itself, with their CDB usage data (SPC-4
 * 6.35.4): the same bitmap rejects reserved bits (INVALID FIELD IN CDB with the field pointer)
 * and is what REPORT SUPPORTED OPERATION CODES reports, so the two cannot disagree.
 */
public enum ReservationCommand {
    /** RESERVE(6) (SPC-2 7.21.2): the obsolete extent and third-party fields are not supported. */
    RESERVE_6(ScsiOpcode.RESERVE_6, -1, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00),
    RELEASE_6(ScsiOpcode.RELEASE_6, -1, 0x17, 0x00, 0x00, 0x00, 0x00, 0x00),
    RESERVE_10(ScsiOpcode.RESERVE_10, -1, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
    RELEASE_10(ScsiOpcode.RELEASE_10, -1, 0x57, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
    PR_IN_READ_KEYS(ScsiOpcode.PERSISTENT_RESERVE_IN, 0x00, prIn()),
    PR_IN_READ_RESERVATION(ScsiOpcode.PERSISTENT_RESERVE_IN, 0x01, prIn()),
    PR_IN_REPORT_CAPABILITIES(ScsiOpcode.PERSISTENT_RESERVE_IN, 0x02, prIn()),
    PR_IN_READ_FULL_STATUS(ScsiOpcode.PERSISTENT_RESERVE_IN, 0x03, prIn()),
    PR_OUT_REGISTER(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x00, prOut()),
    PR_OUT_RESERVE(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x01, prOut()),
    PR_OUT_RELEASE(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x02, prOut()),
    PR_OUT_CLEAR(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x03, prOut()),
    PR_OUT_PREEMPT(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x04, prOut()),
    PR_OUT_PREEMPT_AND_ABORT(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x05, prOut()),
    PR_OUT_REGISTER_AND_IGNORE_EXISTING_KEY(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x06, prOut()),
    PR_OUT_REGISTER_AND_MOVE(ScsiOpcode.PERSISTENT_RESERVE_OUT, 0x07, prOut());

    /** Service actions are bits 4..0 of CDB byte 1 (SPC-4 4.2.5.2). */
    public static final int SERVICE_ACTION_MASK = 0x1F;

    private final ScsiOpcode opcode;
    private final int serviceAction;
    private final byte[] usage;

    ReservationCommand(ScsiOpcode opcode, int serviceAction, int... usage) {
        this.opcode = opcode;
        this.serviceAction = serviceAction;
        this.usage = new byte[usage.length];
        for (int i = 0; i < usage.length; i++) {
            this.usage[i] = (byte) usage[i];
        }
    }

    /** PERSISTENT RESERVE IN: SERVICE ACTION and ALLOCATION LENGTH (SPC-4 6.15.1). */
    private static int[] prIn() {
        return new int[] {0x5E, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00};
    }

    /** PERSISTENT RESERVE OUT: SERVICE ACTION, SCOPE and TYPE, PARAMETER LIST LENGTH (SPC-4 6.16.1). */
    private static int[] prOut() {
        return new int[] {0x5F, 0x1F, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
    }

    public ScsiOpcode opcode() {
        return opcode;
    }

    /** The service action, or -1 for an operation code without service actions. */
    public int serviceAction() {
        return serviceAction;
    }

    public int cdbLength() {
        return usage.length;
    }

    /** CDB USAGE DATA as REPORT SUPPORTED OPERATION CODES reports it: the service action in byte 1. */
    public byte[] reportedUsage() {
        byte[] u = usage.clone();
        if (serviceAction >= 0) {
            u[1] = (byte) serviceAction;
        }
        return u;
    }

    /** Whether the core answers {@code opcode} (with any service action). */
    public static boolean ownsOpcode(int opcode) {
        for (ReservationCommand c : values()) {
            if (c.opcode.code() == (opcode & 0xFF)) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasServiceActions(int opcode) {
        for (ReservationCommand c : values()) {
            if (c.opcode.code() == (opcode & 0xFF)) {
                return c.serviceAction >= 0;
            }
        }
        return false;
    }

    /** The command for an operation code and service action (ignored without service actions), or null. */
    public static ReservationCommand find(int opcode, int serviceAction) {
        for (ReservationCommand c : values()) {
            if (c.opcode.code() == (opcode & 0xFF) && (c.serviceAction < 0 || c.serviceAction == serviceAction)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Checks {@code cdb} against the usage bitmap: null when valid, else INVALID FIELD IN CDB at the
     * first offending byte and its highest offending bit (SPC-4 4.5.2.4.2). An unknown service
     * action points at the SERVICE ACTION field.
     */
    public static SenseData validate(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        ReservationCommand c = find(op, cdb.length > 1 ? cdb[1] & SERVICE_ACTION_MASK : -1);
        if (c == null) {
            return SenseData.invalidFieldInCdb(1, 4);
        }
        if (cdb.length < c.usage.length) {
            return SenseData.invalidFieldInCdb(cdb.length - 1, -1);
        }
        for (int i = 1; i < c.usage.length; i++) {
            int mask = c.usage[i] & 0xFF;
            if (i == 1 && c.serviceAction >= 0) {
                mask |= SERVICE_ACTION_MASK;
            }
            int bad = cdb[i] & ~mask & 0xFF;
            if (bad != 0) {
                return SenseData.invalidFieldInCdb(i, 31 - Integer.numberOfLeadingZeros(bad));
            }
        }
        return null;
    }
}
