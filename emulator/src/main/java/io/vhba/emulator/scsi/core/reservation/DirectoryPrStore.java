package io.vhba.emulator.scsi.core.reservation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * APTPL state as one JSON file per logical unit in a state directory. A save writes a temporary
 * file and renames it over the old one, so a crash leaves either the old or the new state.
 * The file name is the LUN identity with every character outside [A-Za-z0-9.-] replaced.
 */
public final class DirectoryPrStore implements PrStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path dir;

    public DirectoryPrStore(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** The state file of {@code lunId}. */
    public Path file(String lunId) {
        return dir.resolve("pr-" + lunId.replaceAll("[^A-Za-z0-9.-]", "_") + ".json");
    }

    @Override
    public boolean canPersist() {
        return true;
    }

    @Override
    public PrSnapshot load(String lunId) throws IOException {
        Path f = file(lunId);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        PrSnapshot s = JSON.readValue(f.toFile(), PrSnapshot.class);
        if (s.version() != PrSnapshot.VERSION) {
            throw new IOException(f + ": state file version " + s.version() + " is not " + PrSnapshot.VERSION);
        }
        return s;
    }

    @Override
    public void save(String lunId, PrSnapshot snapshot) throws IOException {
        Files.createDirectories(dir);
        Path f = file(lunId);
        Path tmp = Files.createTempFile(dir, f.getFileName().toString(), ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(snapshot);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true); // on disk before the rename makes it the state
            }
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void delete(String lunId) throws IOException {
        Files.deleteIfExists(file(lunId));
    }
}
