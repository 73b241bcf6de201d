package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The iSCSI CRC32C digest (RFC 7143 §13.1, polynomial 0x1EDC6F41, reflected, initial value and
 * final XOR 0xFFFFFFFF), which is exactly what {@link CRC32C} computes.
 *
 * <p>Byte order on the wire: the RFC's examples (Appendix A.4 of RFC 7143, formerly B.4 of RFC
 * 3720) list the digest bytes as transmitted, e.g. 32 zero bytes give {@code aa 36 91 8a} while
 * the CRC value is 0x8A9136AA; libiscsi stores the digest the same way, least significant byte
 * first ({@code iscsi_pdu_update_headerdigest}). So the digest is written and read little-endian.
 *
 * <p>An instance accumulates over several regions without copying: heap buffers by their array,
 * direct and composite buffers through their NIO views. Not thread-safe; one per codec.
 */
public final class Crc32cDigest {
    /** A digest occupies four bytes after the header or the padded data segment. */
    public static final int LENGTH = 4;

    private static final byte[] ZEROS = new byte[3];

    private final CRC32C crc = new CRC32C();

    public Crc32cDigest reset() {
        crc.reset();
        return this;
    }

    public Crc32cDigest update(byte[] bytes, int offset, int length) {
        crc.update(bytes, offset, length);
        return this;
    }

    /** Adds {@code length} bytes of {@code buf} from {@code index}; indices and the buffer are untouched. */
    public Crc32cDigest update(ByteBuf buf, int index, int length) {
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + index, length);
        } else {
            // nioBuffers() views each component in place; nioBuffer() would merge a composite into a copy.
            for (ByteBuffer part : buf.nioBuffers(index, length)) {
                crc.update(part);
            }
        }
        return this;
    }

    /** Adds the zero padding bytes (0-3) that follow a segment and are covered by its digest (§11.2.3). */
    public Crc32cDigest updatePadding(int padding) {
        crc.update(ZEROS, 0, padding);
        return this;
    }

    public int value() {
        return (int) crc.getValue();
    }

    /** The digest of {@code length} bytes of {@code buf} from {@code index}. */
    public static int of(ByteBuf buf, int index, int length) {
        return new Crc32cDigest().update(buf, index, length).value();
    }

    public static int of(byte[] bytes) {
        return new Crc32cDigest().update(bytes, 0, bytes.length).value();
    }

    /** Appends a digest in wire order. */
    public static void write(ByteBuf out, int digest) {
        out.writeIntLE(digest);
    }

    /** Reads a digest in wire order. */
    public static int read(ByteBuf in) {
        return in.readIntLE();
    }
}
