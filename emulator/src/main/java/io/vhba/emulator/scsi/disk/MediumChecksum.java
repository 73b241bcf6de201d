package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** The CRC32C of a whole medium: what a deterministic run and its replay must agree on. Deallocated ranges count as zeros. */
public final class MediumChecksum {
    private static final int CHUNK = 1 << 20;

    private MediumChecksum() {}

    public static long of(BackingStore store) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
        long cap = store.capacity();
        try {
            for (long off = 0; off < cap; ) {
                BackingStore.MappingExtent e = store.extent(off, Math.min(cap - off, 1L << 30));
                long len = Math.max(1, Math.min(e.length(), cap - off));
                for (long done = 0; done < len; ) {
                    int n = (int) Math.min(CHUNK, len - done);
                    if (e.mapped()) {
                        buf.clear().limit(n);
                        store.read(off + done, buf);
                        buf.flip();
                        crc.update(buf);
                    } else {
                        zeros.clear().limit(n);
                        crc.update(zeros);
                    }
                    done += n;
                }
                off += len;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the medium for its checksum: " + e.getMessage(), e);
        }
        return crc.getValue();
    }
}
