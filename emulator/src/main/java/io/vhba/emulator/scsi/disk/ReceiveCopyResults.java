package io.vhba.emulator.scsi.disk;

import io.vhba.emulator.scsi.disk.CopyParameterList.DescriptorType;
import io.vhba.emulator.scsi.disk.HeldCopyResults.CopyManagerStatus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.SenseData;

/**
 * RECEIVE COPY RESULTS (SPC-4 6.18, the LID1 service actions in their SPC-3 form): COPY STATUS, OPERATING
 * PARAMETERS and FAILED SEGMENT DETAILS. RECEIVE DATA is not offered: no implemented segment type holds data.
 */
final class ReceiveCopyResults {

    /** COPY STATUS parameter data length (SPC-4 table 389). */
    static final int COPY_STATUS_LENGTH = 12;
    /** Bytes before the implemented descriptor type codes in OPERATING PARAMETERS (SPC-4 table 391). */
    static final int OPERATING_PARAMETERS_HEADER = 44;
    /** Bytes before the sense data in FAILED SEGMENT DETAILS (SPC-3 table 119). */
    static final int FAILED_SEGMENT_HEADER = 60;
    /** COPY COMMAND STATUS of a failed EXTENDED COPY: CHECK CONDITION. */
    private static final int CHECK_CONDITION = 0x02;

    private ReceiveCopyResults() {}

    /**
     * COPY STATUS: the state of the copy with this list identifier, running or held; INVALID FIELD IN CDB (at the
     * LIST IDENTIFIER) for one this copy manager does not know. Once returned whole (or asked for with an allocation
     * length of zero) the status of a finished copy is discarded (SPC-3 6.17.3).
     */
    static ScsiResult copyStatus(Disk d, DiskCommand entry, ScsiCommand c) {
        int listId = Bytes.u8(c.cdb(), 2);
        long allocation = Bytes.u32(c.cdb(), 10);
        HeldCopyResults.Status s = d.copy.results.status(listId);
        if (s == null) {
            throw CheckCondition.invalidField(2, -1);
        }
        byte[] b = new byte[COPY_STATUS_LENGTH];
        Bytes.put32(b, 0, COPY_STATUS_LENGTH - 4); // AVAILABLE DATA
        b[4] = (byte) s.status().code; // HDD 0: no held data is ever discarded, none is held
        Bytes.put16(b, 5, s.segmentsProcessed());
        int units = transferCountUnits(s.bytesTransferred());
        b[7] = (byte) units;
        Bytes.put32(b, 8, s.bytesTransferred() >>> (10 * units));
        int n = Disk.sendDataIn(c, b, b.length, allocation);
        if (s.status() != CopyManagerStatus.IN_PROGRESS && (allocation == 0 || n == b.length)) {
            d.copy.results.statusReturned(listId);
        }
        return ScsiResult.good(n);
    }

    /** TRANSFER COUNT UNITS: the smallest power of 2^10 bytes (00h bytes, 01h KiB, ...) the count fits 32 bits in. */
    static int transferCountUnits(long bytes) {
        int units = 0;
        while ((bytes >>> (10 * units)) > 0xFFFF_FFFFL) {
            units++;
        }
        return units;
    }

    /** OPERATING PARAMETERS (SPC-4 6.18.4): the limits of {@link CopyManagerLimits} and the implemented descriptors. */
    static ScsiResult operatingParameters(Disk d, DiskCommand entry, ScsiCommand c) {
        DescriptorType[] types = DescriptorType.values();
        byte[] b = new byte[OPERATING_PARAMETERS_HEADER + types.length];
        Bytes.put32(b, 0, b.length - 4); // AVAILABLE DATA
        b[4] = 0x01; // SNLID: LIST ID USAGE 11b (no list identifier) is supported
        Bytes.put16(b, 8, CopyManagerLimits.MAX_CSCD_DESCRIPTORS);
        Bytes.put16(b, 10, CopyManagerLimits.MAX_SEGMENT_DESCRIPTORS);
        Bytes.put32(b, 12, CopyManagerLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        Bytes.put32(b, 16, CopyManagerLimits.maxSegmentLength(d.blockSize));
        Bytes.put32(b, 20, CopyManagerLimits.MAX_INLINE_DATA_LENGTH);
        // HELD DATA LIMIT (24) and MAXIMUM STREAM DEVICE TRANSFER SIZE (28): 0, no held data, no stream devices
        Bytes.put16(b, 34, CopyManagerLimits.MAX_CONCURRENT_COPIES); // TOTAL CONCURRENT COPIES
        b[36] = (byte) CopyManagerLimits.MAX_CONCURRENT_COPIES; // MAXIMUM CONCURRENT COPIES
        b[37] = (byte) Integer.numberOfTrailingZeros(d.blockSize); // DATA SEGMENT GRANULARITY (log2)
        // INLINE DATA GRANULARITY (38) and HELD DATA GRANULARITY (39): 0
        b[43] = (byte) types.length; // IMPLEMENTED DESCRIPTOR LIST LENGTH
        for (int i = 0; i < types.length; i++) {
            b[OPERATING_PARAMETERS_HEADER + i] = (byte) types[i].code;
        }
        return ScsiResult.good(Disk.sendDataIn(c, b, b.length, Bytes.u32(c.cdb(), 10)));
    }

    /**
     * FAILED SEGMENT DETAILS (SPC-3 6.17.5): the status and sense of a held copy that failed; AVAILABLE DATA zero
     * when nothing failed under that identifier, INVALID FIELD IN CDB while it still runs. Discarded once returned.
     */
    static ScsiResult failedSegmentDetails(Disk d, DiskCommand entry, ScsiCommand c) {
        int listId = Bytes.u8(c.cdb(), 2);
        long allocation = Bytes.u32(c.cdb(), 10);
        if (d.copy.results.running(listId)) {
            throw CheckCondition.invalidField(2, -1);
        }
        SenseData failure = d.copy.results.failure(listId);
        if (failure == null) {
            byte[] none = new byte[4];
            return ScsiResult.good(Disk.sendDataIn(c, none, none.length, allocation));
        }
        byte[] sense = failure.toBytes();
        byte[] b = new byte[FAILED_SEGMENT_HEADER + sense.length];
        Bytes.put32(b, 0, b.length - 4); // AVAILABLE DATA
        b[56] = CHECK_CONDITION; // COPY COMMAND STATUS
        Bytes.put16(b, 58, sense.length);
        System.arraycopy(sense, 0, b, FAILED_SEGMENT_HEADER, sense.length);
        int n = Disk.sendDataIn(c, b, b.length, allocation);
        if (allocation == 0 || n == b.length) {
            d.copy.results.failureReturned(listId);
        }
        return ScsiResult.good(n);
    }
}
