package io.vhba.docker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first Login Request of a discovery session (RFC 7143 §11.12), sent by hand: proves that what
 * accepts TCP on the portal is the iSCSI target, not just a port forwarder, with no initiator in the image.
 */
final class DiscoveryLogin {

    static final int LOGIN_REQUEST = 0x03;
    static final int LOGIN_RESPONSE = 0x23;
    private static final int BHS_LENGTH = 48;
    /** Hang guard only: the target answers at once. */
    private static final int READ_TIMEOUT_MS = 30_000;

    private DiscoveryLogin() {}

    /** The response's opcode, transit bit, stages and status (RFC 7143 §11.13). */
    record Answer(int opcode, boolean transit, int currentStage, int nextStage, int statusClass, int statusDetail) {}

    static Answer attempt(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(request());
            out.flush();
            byte[] bhs = new byte[BHS_LENGTH];
            new DataInputStream(s.getInputStream()).readFully(bhs);
            int flags = bhs[1] & 0xFF;
            return new Answer(bhs[0] & 0x3F, (flags & 0x80) != 0, (flags >> 2) & 0x3, flags & 0x3,
                    bhs[36] & 0xFF, bhs[37] & 0xFF);
        }
    }

    /** Immediate, Transit from SecurityNegotiation (0) to LoginOperationalNegotiation (1), AuthMethod=None. */
    static byte[] request() {
        byte[] text = ("InitiatorName=iqn.2026-11.io.vhba.test:docker-probe\0SessionType=Discovery\0AuthMethod=None\0")
                .getBytes(StandardCharsets.US_ASCII);
        int padded = (text.length + 3) & ~3; // data segments are padded to 4 bytes (§11.2.3)
        ByteBuffer b = ByteBuffer.allocate(BHS_LENGTH + padded);
        b.put((byte) (0x40 | LOGIN_REQUEST));          // I bit, opcode
        b.put((byte) (0x80 | (0 << 2) | 1));           // T, CSG=0, NSG=1
        b.put((byte) 0).put((byte) 0);                 // Version-max, Version-min
        b.putInt(text.length);                         // TotalAHSLength 0, DataSegmentLength
        b.put(new byte[] {(byte) 0x80, 0, 0, 0x2A, 0, 0x01}); // ISID: random format (§10.12.5)
        b.putShort((short) 0);                         // TSIH 0: a new session
        b.putInt(1);                                   // Initiator Task Tag
        b.putShort((short) 0).putShort((short) 0);     // CID, reserved
        b.putInt(0).putInt(0);                         // CmdSN, ExpStatSN
        b.position(BHS_LENGTH);
        b.put(text);
        return b.array();
    }
}
