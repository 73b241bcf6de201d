package io.vhba.emulator.scsi.disk;

import java.io.ByteArrayOutputStream;

/** Builds EXTENDED COPY(LID1) parameter lists byte by byte, as libiscsi's iscsi-support.c does. */
final class XcopyList {

    private final ByteArrayOutputStream cscds = new ByteArrayOutputStream();
    private final ByteArrayOutputStream segments = new ByteArrayOutputStream();
    private int listId = 1;
    private int usage;

    static XcopyList with(int listId, int usage) {
        XcopyList l = new XcopyList();
        l.listId = listId;
        l.usage = usage;
        return l;
    }

    /** An identification (E4h) CSCD descriptor naming an NAA designator, block device with {@code blockLength}. */
    XcopyList identification(DiskConfig.NaaIdentifier naa, int blockLength) {
        return cscd(0xE4, naa.toBytes(), blockLength);
    }

    XcopyList cscd(int type, byte[] naa, int blockLength) {
        byte[] d = new byte[32];
        d[0] = (byte) type;
        d[4] = 0x01; // CODE SET binary
        d[5] = 0x03; // ASSOCIATION logical unit, DESIGNATOR TYPE NAA
        d[7] = (byte) naa.length;
        System.arraycopy(naa, 0, d, 8, naa.length);
        d[29] = (byte) (blockLength >>> 16);
        d[30] = (byte) (blockLength >>> 8);
        d[31] = (byte) blockLength;
        cscds.writeBytes(d);
        return this;
    }

    /** A block to block (02h) segment descriptor. */
    XcopyList blockToBlock(int source, int destination, int blocks, long sourceLba, long destinationLba) {
        byte[] d = new byte[28];
        d[0] = 0x02;
        d[3] = 0x18;
        d[4] = (byte) (source >>> 8);
        d[5] = (byte) source;
        d[6] = (byte) (destination >>> 8);
        d[7] = (byte) destination;
        d[10] = (byte) (blocks >>> 8);
        d[11] = (byte) blocks;
        for (int i = 0; i < 8; i++) {
            d[12 + i] = (byte) (sourceLba >>> (56 - 8 * i));
            d[20 + i] = (byte) (destinationLba >>> (56 - 8 * i));
        }
        segments.writeBytes(d);
        return this;
    }

    /** A segment descriptor of another type with a DESCRIPTOR LENGTH of {@code length - 4}. */
    XcopyList segment(int type, int length) {
        byte[] d = new byte[length];
        d[0] = (byte) type;
        d[3] = (byte) (length - 4);
        segments.writeBytes(d);
        return this;
    }

    byte[] bytes() {
        byte[] c = cscds.toByteArray();
        byte[] s = segments.toByteArray();
        byte[] b = new byte[16 + c.length + s.length];
        b[0] = (byte) listId;
        b[1] = (byte) (usage << 3);
        b[2] = (byte) (c.length >>> 8);
        b[3] = (byte) c.length;
        b[8] = (byte) (s.length >>> 24);
        b[9] = (byte) (s.length >>> 16);
        b[10] = (byte) (s.length >>> 8);
        b[11] = (byte) s.length;
        System.arraycopy(c, 0, b, 16, c.length);
        System.arraycopy(s, 0, b, 16 + c.length, s.length);
        return b;
    }

    /** EXTENDED COPY(LID1) with this PARAMETER LIST LENGTH. */
    static int[] cdb(int length) {
        return new int[] {0x83, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, DiskRig.b(length, 24), DiskRig.b(length, 16),
                DiskRig.b(length, 8), DiskRig.b(length, 0), 0, 0};
    }

    /** RECEIVE COPY RESULTS with this service action, list identifier and allocation length. */
    static int[] receive(int serviceAction, int listId, int allocation) {
        return new int[] {0x84, serviceAction, listId, 0, 0, 0, 0, 0, 0, 0, DiskRig.b(allocation, 24),
                DiskRig.b(allocation, 16), DiskRig.b(allocation, 8), DiskRig.b(allocation, 0), 0, 0};
    }
}
