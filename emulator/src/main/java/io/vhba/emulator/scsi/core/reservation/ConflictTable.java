package io.vhba.emulator.scsi.core.reservation;

import io.vhba.miniport.scsi.ScsiOpcode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The access class of every command (SPC-4 5.13.1 table 63, SBC-4 4.17 table 13), by operation
 * code and, where the class depends on it, service action or a CDB field. Commands the table does
 * not know are treated as writes: a reservation never leaks access through an unknown opcode.
 */
public final class ConflictTable {
    private static final int ANY = -1;
    private static final Map<Integer, Function<byte[], AccessClass>> ROWS = new HashMap<>();

    private static int key(int opcode, int serviceAction) {
        return opcode << 8 | (serviceAction & 0xFF);
    }

    private static void row(AccessClass c, ScsiOpcode... ops) {
        for (ScsiOpcode op : ops) {
            ROWS.put(key(op.code(), ANY), cdb -> c);
        }
    }

    private static void row(ScsiOpcode op, int serviceAction, AccessClass c) {
        ROWS.put(key(op.code(), serviceAction), cdb -> c);
    }

    static {
        row(AccessClass.ALWAYS, ScsiOpcode.INQUIRY, ScsiOpcode.REQUEST_SENSE, ScsiOpcode.REPORT_LUNS, ScsiOpcode.LOG_SENSE,
                ScsiOpcode.RESERVE_6, ScsiOpcode.RELEASE_6, ScsiOpcode.RESERVE_10, ScsiOpcode.RELEASE_10);
        row(AccessClass.PERSISTENT_ALLOWED, ScsiOpcode.TEST_UNIT_READY, ScsiOpcode.READ_CAPACITY_10,
                ScsiOpcode.PERSISTENT_RESERVE_IN, ScsiOpcode.PERSISTENT_RESERVE_OUT);
        row(AccessClass.READ, ScsiOpcode.READ_6, ScsiOpcode.READ_10, ScsiOpcode.READ_12, ScsiOpcode.READ_16,
                ScsiOpcode.VERIFY_10, ScsiOpcode.VERIFY_12, ScsiOpcode.VERIFY_16, ScsiOpcode.PRE_FETCH_10,
                ScsiOpcode.PRE_FETCH_16, ScsiOpcode.MODE_SENSE_6, ScsiOpcode.MODE_SENSE_10, ScsiOpcode.READ_BUFFER,
                ScsiOpcode.RECEIVE_DIAGNOSTIC_RESULTS, ScsiOpcode.READ_DEFECT_DATA_10, ScsiOpcode.READ_DEFECT_DATA_12,
                ScsiOpcode.RECEIVE_COPY_RESULTS);
        row(AccessClass.WRITE, ScsiOpcode.WRITE_6, ScsiOpcode.WRITE_10, ScsiOpcode.WRITE_12, ScsiOpcode.WRITE_16,
                ScsiOpcode.WRITE_AND_VERIFY_10, ScsiOpcode.WRITE_AND_VERIFY_12, ScsiOpcode.WRITE_AND_VERIFY_16,
                ScsiOpcode.WRITE_SAME_10, ScsiOpcode.WRITE_SAME_16, ScsiOpcode.UNMAP, ScsiOpcode.COMPARE_AND_WRITE,
                ScsiOpcode.ORWRITE_16, ScsiOpcode.WRITE_ATOMIC_16, ScsiOpcode.FORMAT_UNIT, ScsiOpcode.SANITIZE,
                ScsiOpcode.MODE_SELECT_6, ScsiOpcode.MODE_SELECT_10, ScsiOpcode.LOG_SELECT, ScsiOpcode.WRITE_BUFFER,
                ScsiOpcode.SEND_DIAGNOSTIC, ScsiOpcode.SYNCHRONIZE_CACHE_10, ScsiOpcode.SYNCHRONIZE_CACHE_16,
                ScsiOpcode.START_STOP_UNIT, ScsiOpcode.EXTENDED_COPY, ScsiOpcode.MAINTENANCE_OUT);
        // SBC-4 table 13: PREVENT ALLOW MEDIUM REMOVAL with PREVENT 00b is allowed, any other value conflicts.
        ROWS.put(key(ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL.code(), ANY),
                cdb -> cdb.length > 4 && (cdb[4] & 3) == 0 ? AccessClass.ALWAYS : AccessClass.WRITE);
        row(ScsiOpcode.SERVICE_ACTION_IN_16, 0x10, AccessClass.PERSISTENT_ALLOWED); // READ CAPACITY(16)
        row(ScsiOpcode.SERVICE_ACTION_IN_16, 0x12, AccessClass.READ);               // GET LBA STATUS
        row(ScsiOpcode.MAINTENANCE_IN, 0x0A, AccessClass.ALWAYS);                   // REPORT TARGET PORT GROUPS
        row(ScsiOpcode.MAINTENANCE_IN, 0x0C, AccessClass.READ);                     // REPORT SUPPORTED OPERATION CODES
        row(ScsiOpcode.MAINTENANCE_IN, 0x0D, AccessClass.READ);                     // REPORT SUPPORTED TMFs
    }

    private ConflictTable() {}

    /** The access class of the command {@code cdb} carries. */
    public static AccessClass classify(byte[] cdb) {
        int op = cdb[0] & 0xFF;
        Function<byte[], AccessClass> r = ROWS.get(key(op, ANY));
        if (r == null && cdb.length > 1) {
            r = ROWS.get(key(op, cdb[1] & 0x1F));
        }
        return r == null ? AccessClass.WRITE : r.apply(cdb);
    }
}
