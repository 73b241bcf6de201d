package io.vhba.emulator.scsi.disk;

import io.vhba.emulator.scsi.disk.CopyParameterList.DescriptorType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Third-party Copy VPD page (SPC-4 7.8.17) for EXTENDED COPY(LID1): the descriptors that page requires of a copy
 * manager without ROD tokens. Each descriptor is padded to a multiple of four bytes.
 */
final class ThirdPartyCopyVpd {

    static final int PAGE_CODE = 0x8F;

    /** THIRD-PARTY COPY DESCRIPTOR TYPE codes (SPC-4 table 637). */
    static final int SUPPORTED_COMMANDS = 0x0001;
    static final int PARAMETER_DATA = 0x0008;
    static final int SUPPORTED_DESCRIPTORS = 0x0009;
    static final int SUPPORTED_CSCD_IDS = 0x000A;
    static final int GENERAL_COPY_OPERATIONS = 0x8001;

    private ThirdPartyCopyVpd() {}

    static byte[] page(Disk d) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        descriptor(body, SUPPORTED_COMMANDS, supportedCommands(d.table));
        descriptor(body, PARAMETER_DATA, parameterData());
        descriptor(body, SUPPORTED_DESCRIPTORS, supportedDescriptors());
        descriptor(body, SUPPORTED_CSCD_IDS, new byte[2]); // CSCD DESCRIPTOR IDS LIST LENGTH 0: no CSCD IDs
        descriptor(body, GENERAL_COPY_OPERATIONS, generalCopyOperations(d));
        byte[] descriptors = body.toByteArray();
        byte[] b = new byte[4 + descriptors.length];
        b[1] = (byte) PAGE_CODE;
        Bytes.put16(b, 2, descriptors.length);
        System.arraycopy(descriptors, 0, b, 4, descriptors.length);
        return b;
    }

    /** Appends type, length and the payload padded to a multiple of 4 (SPC-4 7.8.17.1). */
    private static void descriptor(ByteArrayOutputStream out, int type, byte[] payload) {
        int padded = (payload.length + 3) & ~3;
        byte[] b = new byte[4 + padded];
        Bytes.put16(b, 0, type);
        Bytes.put16(b, 2, padded);
        System.arraycopy(payload, 0, b, 4, payload.length);
        out.writeBytes(b);
    }

    /** Supported Commands (SPC-4 7.8.17.3), from the command table: each copy command with its service actions. */
    private static byte[] supportedCommands(CommandTable table) {
        Map<Integer, List<Integer>> actions = new LinkedHashMap<>();
        for (DiskCommand c : table.supported()) {
            int op = c.opcode.code();
            if (op == 0x83 || op == 0x84) {
                actions.computeIfAbsent(op, k -> new ArrayList<>()).add(c.serviceAction);
            }
        }
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        actions.forEach((op, sas) -> {
            list.write(op);
            list.write(sas.size());
            sas.forEach(list::write);
        });
        byte[] l = list.toByteArray();
        byte[] b = new byte[1 + l.length];
        b[0] = (byte) l.length; // COMMANDS SUPPORTED LIST LENGTH
        System.arraycopy(l, 0, b, 1, l.length);
        return b;
    }

    /** Parameter Data (SPC-4 7.8.17.4), 1Ch bytes. */
    private static byte[] parameterData() {
        byte[] b = new byte[0x1C];
        Bytes.put16(b, 4, CopyManagerLimits.MAX_CSCD_DESCRIPTORS);
        Bytes.put16(b, 6, CopyManagerLimits.MAX_SEGMENT_DESCRIPTORS);
        Bytes.put32(b, 8, CopyManagerLimits.MAX_DESCRIPTOR_LIST_LENGTH);
        Bytes.put32(b, 12, CopyManagerLimits.MAX_INLINE_DATA_LENGTH);
        return b;
    }

    /** Supported Descriptors (SPC-4 7.8.17.5): the implemented segment and CSCD descriptor type codes. */
    private static byte[] supportedDescriptors() {
        DescriptorType[] types = DescriptorType.values();
        byte[] b = new byte[1 + types.length];
        b[0] = (byte) types.length;
        for (int i = 0; i < types.length; i++) {
            b[1 + i] = (byte) types[i].code;
        }
        return b;
    }

    /** General Copy Operations (SPC-4 7.8.17.7), 20h bytes. */
    private static byte[] generalCopyOperations(Disk d) {
        byte[] b = new byte[0x20];
        Bytes.put32(b, 0, CopyManagerLimits.MAX_CONCURRENT_COPIES); // TOTAL CONCURRENT COPIES
        Bytes.put32(b, 4, CopyManagerLimits.MAX_CONCURRENT_COPIES); // MAXIMUM IDENTIFIED CONCURRENT COPIES
        Bytes.put32(b, 8, CopyManagerLimits.maxSegmentLength(d.blockSize)); // MAXIMUM SEGMENT LENGTH
        b[12] = (byte) Integer.numberOfTrailingZeros(d.blockSize); // DATA SEGMENT GRANULARITY (log2)
        // INLINE DATA GRANULARITY (13): 0, no inline data
        return b;
    }
}
