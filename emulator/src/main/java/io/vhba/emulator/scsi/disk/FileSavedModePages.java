package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Saved mode pages as files in a per-LUN directory: {@code page-08.bin}, {@code page-0A.bin}. Each save writes a
 * temporary file, forces it, renames it over the old one and forces the directory, so a crash leaves either page
 * whole and a save that returned survives a power loss. The directory is made on the first save.
 */
public final class FileSavedModePages implements SavedModePages {

    private final Path directory;

    public FileSavedModePages(Path directory) {
        this.directory = directory;
    }

    @Override
    public boolean supportsSaving() {
        return true;
    }

    @Override
    public Optional<byte[]> load(int pageCode) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file(pageCode)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void save(int pageCode, byte[] page) throws IOException {
        Files.createDirectories(directory);
        Path target = file(pageCode);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(page);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        MapJournal.forceDirectory(target);
    }

    private Path file(int pageCode) {
        return directory.resolve(String.format("page-%02X.bin", pageCode & 0x3F));
    }
}
