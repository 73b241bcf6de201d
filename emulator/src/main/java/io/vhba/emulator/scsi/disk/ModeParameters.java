package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current mode parameters of one disk: an immutable page map swapped atomically by MODE SELECT, so readers (the
 * write path asking WCE, MODE SENSE) never lock. Power-on values are the saved pages where present, else defaults.
 */
final class ModeParameters {

    private final SavedModePages saved;
    private final AtomicReference<Map<ModePage, byte[]>> current;

    ModeParameters(DiskConfig config, SavedModePages saved) {
        this.saved = saved;
        Map<ModePage, byte[]> pages = new EnumMap<>(ModePage.class);
        for (ModePage p : ModePage.values()) {
            try {
                pages.put(p, p.savable ? p.merge(p.defaults(), loadSaved(p).orElse(p.defaults())) : p.defaults());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load saved mode page " + p, e);
            }
        }
        this.current = new AtomicReference<>(Collections.unmodifiableMap(pages));
    }

    boolean savingSupported() {
        return saved.supportsSaving();
    }

    /** The current page (callers must not modify it). */
    byte[] current(ModePage p) {
        return current.get().get(p);
    }

    /** The saved page, or the default when never saved; for unsavable pages the current values. */
    byte[] saved(ModePage p) throws IOException {
        if (!p.savable) {
            return current(p);
        }
        return p.merge(p.defaults(), loadSaved(p).orElse(p.defaults()));
    }

    boolean writeCacheEnabled() {
        return (current(ModePage.CACHING)[2] & 0x04) != 0;
    }

    boolean softwareWriteProtect() {
        return (current(ModePage.CONTROL)[4] & 0x08) != 0;
    }

    /** Installs validated pages as current values; returns the whole current page map they made. */
    Map<ModePage, byte[]> select(Map<ModePage, byte[]> pages) {
        while (true) {
            Map<ModePage, byte[]> base = current.get();
            Map<ModePage, byte[]> m = new EnumMap<>(base);
            pages.forEach((p, bytes) -> m.put(p, p.merge(base.get(p), bytes)));
            Map<ModePage, byte[]> next = Collections.unmodifiableMap(m);
            if (current.compareAndSet(base, next)) {
                return next;
            }
        }
    }

    /** Saves every savable page of {@code pages} durably (SPC-4 6.11: SP=1 saves all savable pages). */
    void save(Map<ModePage, byte[]> pages) throws IOException {
        for (ModePage p : ModePage.values()) {
            if (p.savable) {
                saved.save(p.code, pages.get(p).clone());
            }
        }
    }

    /** A saved page if it is well formed for this page; a malformed one is ignored (defaults apply). */
    private Optional<byte[]> loadSaved(ModePage p) throws IOException {
        return saved.load(p.code).filter(b -> b.length == p.length && (b[0] & 0x3F) == p.code);
    }
}
