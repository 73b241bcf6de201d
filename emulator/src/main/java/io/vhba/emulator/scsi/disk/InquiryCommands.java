package io.vhba.emulator.scsi.disk;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** INQUIRY: standard data and the vital product data pages of a block device (SPC-4 6.6, 7.8; SBC-4 6.6). */
final class InquiryCommands {

    /** Version descriptors (SPC-4 table 146): SAM-5, iSCSI, SPC-4, SBC-3. */
    static final int[] VERSION_DESCRIPTORS = {0x00A0, 0x0960, 0x0460, 0x04C0};
    /** Standard INQUIRY data length: through the version descriptors and the reserved bytes to byte 95. */
    static final int STANDARD_LENGTH = 96;

    private InquiryCommands() {}

    static ScsiResult inquiry(Disk d, DiskCommand entry, ScsiCommand c) {
        byte[] cdb = c.cdb();
        boolean evpd = Bytes.bit(cdb, 1, 0);
        int pageCode = Bytes.u8(cdb, 2);
        int allocation = Bytes.u16(cdb, 3);
        byte[] data;
        if (!evpd) {
            if (pageCode != 0) { // SPC-4 6.6.1: a page code without EVPD is an error
                throw CheckCondition.invalidField(2, -1);
            }
            data = standard(d.config);
        } else {
            VpdPage page = VpdPage.of(pageCode);
            if (page == null) {
                throw CheckCondition.invalidField(2, -1);
            }
            data = page.build(d);
        }
        return ScsiResult.good(Disk.sendDataIn(c, data, data.length, allocation));
    }

    /** Standard INQUIRY data (SPC-4 6.6.2). */
    static byte[] standard(DiskConfig config) {
        byte[] b = new byte[STANDARD_LENGTH];
        b[0] = 0x00; // peripheral qualifier 000b, direct access block device
        b[1] = (byte) (config.removable() ? 0x80 : 0x00); // RMB
        b[2] = 0x06; // VERSION: SPC-4
        b[3] = 0x02; // RESPONSE DATA FORMAT 2
        b[4] = (byte) (STANDARD_LENGTH - 5); // ADDITIONAL LENGTH
        b[5] = (byte) (config.targetPortGroupSupport() << 4 | 0x08); // TPGS, 3PC: EXTENDED COPY is supported
        b[7] = 0x02; // CMDQUE: full task management model
        Bytes.putAscii(b, 8, 8, DiskConfig.VENDOR);
        Bytes.putAscii(b, 16, 16, config.identity().product());
        Bytes.putAscii(b, 32, 4, config.identity().revision());
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            Bytes.put16(b, 58 + 2 * i, VERSION_DESCRIPTORS[i]);
        }
        return b;
    }

    /** The VPD pages this device returns, in ascending page code order (SPC-4 7.8.13 lists them so). */
    enum VpdPage {
        SUPPORTED_VPD_PAGES(0x00, InquiryCommands::supportedPages),
        UNIT_SERIAL_NUMBER(0x80, InquiryCommands::unitSerialNumber),
        DEVICE_IDENTIFICATION(0x83, InquiryCommands::deviceIdentification),
        THIRD_PARTY_COPY(ThirdPartyCopyVpd.PAGE_CODE, ThirdPartyCopyVpd::page),
        BLOCK_LIMITS(0xB0, InquiryCommands::blockLimits),
        BLOCK_DEVICE_CHARACTERISTICS(0xB1, InquiryCommands::blockDeviceCharacteristics),
        LOGICAL_BLOCK_PROVISIONING(0xB2, InquiryCommands::logicalBlockProvisioning);

        final int code;
        private final Function<Disk, byte[]> builder;

        VpdPage(int code, Function<Disk, byte[]> builder) {
            this.code = code;
            this.builder = builder;
        }

        byte[] build(Disk d) {
            return builder.apply(d);
        }

        static VpdPage of(int code) {
            for (VpdPage p : values()) {
                if (p.code == code) {
                    return p;
                }
            }
            return null;
        }
    }

    private static byte[] page(int code, int length) {
        byte[] b = new byte[4 + length];
        b[1] = (byte) code;
        Bytes.put16(b, 2, length);
        return b;
    }

    static byte[] supportedPages(Disk d) {
        VpdPage[] pages = VpdPage.values();
        byte[] b = page(0x00, pages.length);
        for (int i = 0; i < pages.length; i++) {
            b[4 + i] = (byte) pages[i].code;
        }
        return b;
    }

    static byte[] unitSerialNumber(Disk d) {
        byte[] serial = d.config.identity().serial().getBytes(StandardCharsets.US_ASCII);
        byte[] b = page(0x80, serial.length);
        System.arraycopy(serial, 0, b, 4, serial.length);
        return b;
    }

    /**
     * Device Identification (SPC-4 7.8.6): the logical unit's NAA 6 designator and a T10 vendor ID designator
     * (vendor, then the unit serial number). The target core appends the target port, relative port and port
     * group designators, which differ per path.
     */
    static byte[] deviceIdentification(Disk d) {
        byte[] naa = d.config.identity().naa().toBytes();
        byte[] t10 = (pad(DiskConfig.VENDOR, 8) + d.config.identity().serial()).getBytes(StandardCharsets.US_ASCII);
        byte[] b = page(0x83, 4 + naa.length + 4 + t10.length);
        int p = 4;
        b[p] = 0x01; // PROTOCOL IDENTIFIER 0, CODE SET binary
        b[p + 1] = 0x03; // PIV 0, ASSOCIATION logical unit, DESIGNATOR TYPE NAA
        b[p + 3] = (byte) naa.length;
        System.arraycopy(naa, 0, b, p + 4, naa.length);
        p += 4 + naa.length;
        b[p] = 0x02; // CODE SET ASCII
        b[p + 1] = 0x01; // ASSOCIATION logical unit, DESIGNATOR TYPE T10 vendor ID based
        b[p + 3] = (byte) t10.length;
        System.arraycopy(t10, 0, b, p + 4, t10.length);
        return b;
    }

    /** Block Limits (SBC-4 6.6.4), page length 3Ch. */
    static byte[] blockLimits(Disk d) {
        DiskConfig.Limits l = d.config.limits();
        byte[] b = page(0xB0, 0x3C);
        // WSNZ 0: WRITE SAME with a NUMBER OF LOGICAL BLOCKS of zero writes through the last LBA (SBC-4 5.49)
        b[5] = (byte) l.maxCompareAndWriteLength();
        Bytes.put16(b, 6, l.optimalTransferGranularity());
        Bytes.put32(b, 8, l.maxTransferLength());
        // OPTIMAL TRANSFER LENGTH (12) and MAXIMUM PREFETCH LENGTH (16) are not reported: zero
        if (d.config.thinProvisioning()) {
            Bytes.put32(b, 20, l.maxUnmapLbaCount());
            Bytes.put32(b, 24, l.maxUnmapDescriptors());
            Bytes.put32(b, 28, d.unmapGranularity());
        }
        Bytes.put64(b, 36, l.maxWriteSameLength());
        Bytes.put32(b, 44, l.maxAtomicTransferLength()); // MAXIMUM ATOMIC TRANSFER LENGTH: WRITE ATOMIC(16)
        // ATOMIC ALIGNMENT, ATOMIC TRANSFER LENGTH GRANULARITY: 0, no restriction; no atomic boundaries
        return b;
    }

    /** Block Device Characteristics (SBC-4 6.6.2), page length 3Ch. */
    static byte[] blockDeviceCharacteristics(Disk d) {
        byte[] b = page(0xB1, 0x3C);
        Bytes.put16(b, 4, d.config.rotationRate());
        int wabereq = d.table.find(0x48, 0x02) != null ? 0x40 : 0; // block erase: reads return zeros (01b)
        int wacereq = d.table.find(0x48, 0x03) != null ? 0x10 : 0; // crypto erase: reads return zeros (01b)
        b[7] = (byte) (wabereq | wacereq);
        b[8] = 0x02; // FUAB: FUA makes a write durable as SYNCHRONIZE CACHE does
        return b;
    }

    /** Logical Block Provisioning (SBC-4 6.6.5), page length 4. */
    static byte[] logicalBlockProvisioning(Disk d) {
        byte[] b = page(0xB2, 4);
        if (d.config.thinProvisioning()) {
            // LBPU (UNMAP), LBPWS (WRITE SAME(16) UNMAP), LBPWS10, LBPRZ=001b: deallocated blocks read zeros
            b[5] = (byte) (0x80 | 0x40 | 0x20 | 0x04);
            b[6] = 0x02; // PROVISIONING TYPE: thin provisioned
        }
        return b;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s.substring(0, width) : s + " ".repeat(width - s.length());
    }
}
