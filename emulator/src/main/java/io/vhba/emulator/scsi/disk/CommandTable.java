package io.vhba.emulator.scsi.disk;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The commands one disk supports, resolved from {@link DiskCommand} for its configuration: lookup by operation code
 * and service action, CDB validation against the usage bitmap, and the exact list REPORT SUPPORTED OPERATION CODES
 * reports.
 */
final class CommandTable {

    /** Service actions live in bits 4..0 of CDB byte 1 for every command this device implements (SPC-4 4.2.5.2). */
    static final int SERVICE_ACTION_MASK = 0x1F;

    private final DiskCommand[][] byOpcode = new DiskCommand[256][];
    private final boolean[] hasServiceActions = new boolean[256];
    private final Map<DiskCommand, byte[]> usage = new EnumMap<>(DiskCommand.class);
    private final List<DiskCommand> supported;

    CommandTable(DiskConfig config) {
        List<DiskCommand> list = new ArrayList<>();
        for (DiskCommand c : DiskCommand.values()) {
            if (!c.availableFor(config)) {
                continue;
            }
            int op = c.opcode.code();
            if (c.serviceAction >= 0) {
                hasServiceActions[op] = true;
                if (byOpcode[op] == null) {
                    byOpcode[op] = new DiskCommand[SERVICE_ACTION_MASK + 1];
                }
                byOpcode[op][c.serviceAction] = c;
            } else {
                byOpcode[op] = new DiskCommand[] {c};
            }
            usage.put(c, c.usage(config));
            list.add(c);
        }
        list.sort(Comparator.comparingInt((DiskCommand c) -> c.opcode.code()).thenComparingInt(c -> c.serviceAction));
        supported = Collections.unmodifiableList(list);
    }

    /** The table entry for this CDB, or a CHECK CONDITION for an unknown operation code or service action. */
    DiskCommand lookup(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        DiskCommand[] slot = byOpcode[op];
        if (slot == null) {
            // SPC-4 4.5.2.x: an unsupported operation code is INVALID COMMAND OPERATION CODE
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_COMMAND_OPERATION_CODE);
        }
        if (!hasServiceActions[op]) {
            return slot[0];
        }
        DiskCommand c = cdb.length > 1 ? slot[cdb[1] & SERVICE_ACTION_MASK] : null;
        if (c == null) {
            // an unsupported service action is INVALID FIELD IN CDB pointing at the SERVICE ACTION field
            throw CheckCondition.invalidField(1, 4);
        }
        return c;
    }

    /**
     * Rejects a CDB that is too short or sets a bit the usage bitmap does not declare: INVALID FIELD IN CDB with the
     * field pointer at the first offending byte and its highest offending bit (SPC-4 4.5.2.4.2).
     */
    void validate(DiskCommand c, byte[] cdb) {
        byte[] mask = usage.get(c);
        if (cdb.length < mask.length) {
            throw CheckCondition.invalidField(cdb.length - 1, -1);
        }
        for (int i = 1; i < mask.length; i++) {
            int bad = cdb[i] & ~mask[i] & 0xFF;
            if (bad != 0) {
                throw CheckCondition.invalidField(i, Bytes.highestBit(bad));
            }
        }
    }

    /**
     * The CDB USAGE DATA of REPORT SUPPORTED OPERATION CODES (SPC-4 6.35.3): byte 0 is the operation code, the
     * SERVICE ACTION bits hold the service action, every other bit is set where the device evaluates the field.
     */
    byte[] reportedUsage(DiskCommand c) {
        byte[] u = usage.get(c).clone();
        u[0] = (byte) c.opcode.code();
        if (c.serviceAction >= 0) {
            u[1] = (byte) ((u[1] & ~SERVICE_ACTION_MASK) | c.serviceAction);
        }
        return u;
    }

    boolean hasServiceActions(int opcode) {
        return hasServiceActions[opcode & 0xFF];
    }

    /** The entry for an operation code (and service action when it has them), or null when not supported. */
    DiskCommand find(int opcode, int serviceAction) {
        DiskCommand[] slot = byOpcode[opcode & 0xFF];
        if (slot == null) {
            return null;
        }
        if (!hasServiceActions[opcode & 0xFF]) {
            return slot[0];
        }
        return serviceAction >= 0 && serviceAction <= SERVICE_ACTION_MASK ? slot[serviceAction] : null;
    }

    /** Every supported command in operation code, then service action, order. */
    List<DiskCommand> supported() {
        return supported;
    }
}
