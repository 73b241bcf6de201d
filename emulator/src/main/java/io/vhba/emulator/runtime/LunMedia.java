package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.scsi.disk.BackingStore;
import io.vhba.emulator.scsi.disk.MediumChecksum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every LUN's medium by "IQN/LUN", in the order the LUNs were made: what a deterministic run's summary checksums
 * (CRC32C each) and what {@code --dump-lun} writes out, to compare what two runs left on a disk.
 */
final class LunMedia {
    private final Map<String, BackingStore> stores = new LinkedHashMap<>();

    synchronized void add(String iqn, int lun, BackingStore store) {
        stores.put(iqn + "/" + lun, store);
    }

    synchronized void remove(String iqn, int lun) {
        stores.remove(iqn + "/" + lun);
    }

    /** Each medium's CRC32C, as eight hex digits. */
    synchronized Map<String, String> checksums() {
        Map<String, String> crc = new LinkedHashMap<>();
        stores.forEach((lun, store) -> crc.put(lun, String.format("%08x", MediumChecksum.of(store))));
        return crc;
    }

    /**
     * Writes a LUN's whole medium to {@code file}: {@code lun} is "IQN/LUN", or a LUN number of {@code firstIqn}.
     *
     * @throws ConfigException an unknown LUN, or a file that cannot be written (one line naming it)
     */
    void write(String lun, String firstIqn, Path file) {
        String key = lun.contains("/") ? lun : firstIqn + "/" + lun;
        BackingStore store;
        synchronized (this) {
            store = stores.get(key);
            if (store == null) {
                throw new ConfigException("no LUN " + lun + "; LUNs: " + String.join(", ", stores.keySet()));
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long off = 0; off < store.capacity(); off += buf.capacity()) {
                buf.clear().limit((int) Math.min(buf.capacity(), store.capacity() - off));
                store.read(off, buf);
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("--dump-lun " + lun + ": " + file + ": " + e.getMessage());
        }
    }
}
