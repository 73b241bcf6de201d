package io.vhba.emulator.scsi.core;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.miniport.scsi.ScsiOpcode;
import java.nio.charset.StandardCharsets;

/**
 * The target-port half of the Device Identification VPD page (SPC-4 7.8.6): the device reports
 * the logical unit's designators (its NAA name, the same on every path); the core appends the
 * relative target port identifier, the target port group and the target port's SCSI name
 * string, which differ per port (INITIATORS.md: "plus target-port and port-group designators").
 */
final class Vpd83 {
    static final int DEVICE_PAGE_ROOM = 1024;
    private static final int PROTOCOL_ISCSI = 5;

    private Vpd83() {}

    static boolean isDeviceIdentificationPage(byte[] cdb) {
        return (cdb[0] & 0xFF) == ScsiOpcode.INQUIRY.code() && (cdb[1] & 1) != 0 && (cdb[2] & 0xFF) == 0x83;
    }

    /** Appends the port designators to the page in {@code buf}; returns the page's new total length. */
    static int appendTargetPortDesignators(HostBuffer buf, int length, ScsiTarget target) {
        if (length < 4) {
            return length;
        }
        int pageLength = ((buf.getByte(2) & 0xFF) << 8) | (buf.getByte(3) & 0xFF);
        int end = 4 + pageLength;
        if (end > length) {
            return length; // the device's page was cut short; leave it as it is
        }
        byte[] name = (target.targetPortName() + '\0').getBytes(StandardCharsets.UTF_8);
        int nameLen = (name.length + 3) & ~3; // SPC-4 7.8.6.11: null-terminated, padded to a multiple of 4
        byte[] add = new byte[8 + 8 + 4 + nameLen];
        int o = 0;
        // Relative target port identifier: designator type 4h, association 01b (target port), binary, PIV.
        add[o] = (byte) (PROTOCOL_ISCSI << 4 | 1);
        add[o + 1] = (byte) (0x80 | 0x10 | 0x04);
        add[o + 3] = 4;
        add[o + 6] = (byte) (target.relativeTargetPortId() >> 8);
        add[o + 7] = (byte) target.relativeTargetPortId();
        o += 8;
        // Target port group: designator type 5h.
        add[o] = (byte) (PROTOCOL_ISCSI << 4 | 1);
        add[o + 1] = (byte) (0x80 | 0x10 | 0x05);
        add[o + 3] = 4;
        add[o + 6] = (byte) (target.portalGroupTag() >> 8);
        add[o + 7] = (byte) target.portalGroupTag();
        o += 8;
        // SCSI name string of the target port: type 8h, UTF-8 code set 3.
        add[o] = (byte) (PROTOCOL_ISCSI << 4 | 3);
        add[o + 1] = (byte) (0x80 | 0x10 | 0x08);
        add[o + 3] = (byte) nameLen;
        System.arraycopy(name, 0, add, o + 4, name.length);
        if (end + add.length > buf.length()) {
            return length;
        }
        buf.put(end, add, 0, add.length);
        int newPageLength = pageLength + add.length;
        buf.putByte(2, (byte) (newPageLength >> 8));
        buf.putByte(3, (byte) newPageLength);
        return 4 + newPageLength;
    }
}
