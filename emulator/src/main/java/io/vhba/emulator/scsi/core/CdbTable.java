package io.vhba.emulator.scsi.core;

import io.vhba.hw.DataDirection;
import io.vhba.miniport.scsi.ScsiOpcode;
import java.util.EnumMap;
import java.util.Map;

/**
 * For each operation code: the direction of its data phase and how its CDB gives the length
 * (SPC-4 / SBC-4 command descriptions). The core sizes the SRB's buffer from this, solicits
 * exactly that much Data-Out, and reports the difference to the transport's expected length
 * as residual (RFC 7143 §11.4.5).
 */
final class CdbTable {
    record Row(DataDirection direction, TransferLength length) {}

    private static final Map<ScsiOpcode, Row> ROWS = new EnumMap<>(ScsiOpcode.class);

    private static void in(ScsiOpcode op, TransferLength l) {
        ROWS.put(op, new Row(DataDirection.IN, l));
    }

    private static void out(ScsiOpcode op, TransferLength l) {
        ROWS.put(op, new Row(DataDirection.OUT, l));
    }

    private static void none(ScsiOpcode op) {
        ROWS.put(op, new Row(DataDirection.NONE, TransferLength.NONE));
    }

    /** READ(6)/WRITE(6): a transfer length of 0 means 256 blocks (SBC-4 5.14). */
    private static final TransferLength SIX_BYTE_BLOCKS = (cdb, bs) -> {
        int n = cdb[4] & 0xFF;
        return (n == 0 ? 256L : n) * bs;
    };

    /** VERIFY: data only with BYTCHK 01b (the range) or 11b (one block) (SBC-4 5.29). */
    private static TransferLength verify(int offset, int size) {
        return (cdb, bs) -> switch ((cdb[1] >> 1) & 3) {
            case 1 -> TransferLength.field(cdb, offset, size) * bs;
            case 3 -> TransferLength.field(cdb, offset, size) == 0 ? 0 : bs;
            default -> 0;
        };
    }

    /**
     * Data-Out whose size the device must check against the CDB itself: WRITE SAME (one block
     * unless NDOB, SBC-4 5.50) and COMPARE AND WRITE (2 x NUMBER OF LOGICAL BLOCKS, SBC-4 5.3).
     * A Data-Out of any other size is an error the device reports (libiscsi's
     * *.InvalidDataOutSize), so the buffer takes what the initiator sends, not what the CDB implies.
     */
    private static void outSizedByDevice(ScsiOpcode op) {
        ROWS.put(op, new Row(DataDirection.OUT, null));
    }

    static {
        none(ScsiOpcode.TEST_UNIT_READY);
        in(ScsiOpcode.REQUEST_SENSE, TransferLength.bytesAt(4, 1));
        ROWS.put(ScsiOpcode.FORMAT_UNIT, new Row(DataDirection.OUT, null)); // FMTDATA: length from the parameter header
        in(ScsiOpcode.READ_6, SIX_BYTE_BLOCKS);
        out(ScsiOpcode.WRITE_6, SIX_BYTE_BLOCKS);
        in(ScsiOpcode.INQUIRY, TransferLength.bytesAt(3, 2));
        out(ScsiOpcode.MODE_SELECT_6, TransferLength.bytesAt(4, 1));
        none(ScsiOpcode.RESERVE_6);
        none(ScsiOpcode.RELEASE_6);
        in(ScsiOpcode.MODE_SENSE_6, TransferLength.bytesAt(4, 1));
        none(ScsiOpcode.START_STOP_UNIT);
        in(ScsiOpcode.RECEIVE_DIAGNOSTIC_RESULTS, TransferLength.bytesAt(3, 2));
        out(ScsiOpcode.SEND_DIAGNOSTIC, TransferLength.bytesAt(3, 2));
        none(ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL);
        in(ScsiOpcode.READ_CAPACITY_10, TransferLength.fixed(8));
        in(ScsiOpcode.READ_10, TransferLength.blocksAt(7, 2));
        out(ScsiOpcode.WRITE_10, TransferLength.blocksAt(7, 2));
        out(ScsiOpcode.WRITE_AND_VERIFY_10, TransferLength.blocksAt(7, 2));
        out(ScsiOpcode.VERIFY_10, verify(7, 2));
        none(ScsiOpcode.PRE_FETCH_10);
        none(ScsiOpcode.SYNCHRONIZE_CACHE_10);
        in(ScsiOpcode.READ_DEFECT_DATA_10, TransferLength.bytesAt(7, 2));
        out(ScsiOpcode.WRITE_BUFFER, TransferLength.bytesAt(6, 3));
        in(ScsiOpcode.READ_BUFFER, TransferLength.bytesAt(6, 3));
        outSizedByDevice(ScsiOpcode.WRITE_SAME_10);
        out(ScsiOpcode.UNMAP, TransferLength.bytesAt(7, 2));
        out(ScsiOpcode.SANITIZE, TransferLength.bytesAt(7, 2));
        out(ScsiOpcode.LOG_SELECT, TransferLength.bytesAt(7, 2));
        in(ScsiOpcode.LOG_SENSE, TransferLength.bytesAt(7, 2));
        out(ScsiOpcode.MODE_SELECT_10, TransferLength.bytesAt(7, 2));
        none(ScsiOpcode.RESERVE_10);
        none(ScsiOpcode.RELEASE_10);
        in(ScsiOpcode.MODE_SENSE_10, TransferLength.bytesAt(7, 2));
        in(ScsiOpcode.PERSISTENT_RESERVE_IN, TransferLength.bytesAt(7, 2));
        out(ScsiOpcode.PERSISTENT_RESERVE_OUT, TransferLength.bytesAt(5, 4));
        out(ScsiOpcode.EXTENDED_COPY, TransferLength.bytesAt(10, 4));
        in(ScsiOpcode.RECEIVE_COPY_RESULTS, TransferLength.bytesAt(10, 4));
        in(ScsiOpcode.READ_16, TransferLength.blocksAt(10, 4));
        outSizedByDevice(ScsiOpcode.COMPARE_AND_WRITE);
        out(ScsiOpcode.WRITE_16, TransferLength.blocksAt(10, 4));
        out(ScsiOpcode.ORWRITE_16, TransferLength.blocksAt(10, 4));
        out(ScsiOpcode.WRITE_AND_VERIFY_16, TransferLength.blocksAt(10, 4));
        out(ScsiOpcode.VERIFY_16, verify(10, 4));
        none(ScsiOpcode.PRE_FETCH_16);
        none(ScsiOpcode.SYNCHRONIZE_CACHE_16);
        outSizedByDevice(ScsiOpcode.WRITE_SAME_16);
        out(ScsiOpcode.WRITE_ATOMIC_16, TransferLength.blocksAt(12, 2));
        in(ScsiOpcode.SERVICE_ACTION_IN_16, TransferLength.bytesAt(10, 4));
        in(ScsiOpcode.REPORT_LUNS, TransferLength.bytesAt(6, 4));
        in(ScsiOpcode.MAINTENANCE_IN, TransferLength.bytesAt(6, 4));
        out(ScsiOpcode.MAINTENANCE_OUT, TransferLength.bytesAt(6, 4));
        in(ScsiOpcode.READ_12, TransferLength.blocksAt(6, 4));
        out(ScsiOpcode.WRITE_12, TransferLength.blocksAt(6, 4));
        out(ScsiOpcode.WRITE_AND_VERIFY_12, TransferLength.blocksAt(6, 4));
        out(ScsiOpcode.VERIFY_12, verify(6, 4));
        in(ScsiOpcode.READ_DEFECT_DATA_12, TransferLength.bytesAt(6, 4));
    }

    private CdbTable() {}

    /** The row for {@code cdb}'s operation code, or null when the core does not know it. */
    static Row row(byte[] cdb) {
        ScsiOpcode op = ScsiOpcode.of(cdb[0]);
        return op == null ? null : ROWS.get(op);
    }
}
