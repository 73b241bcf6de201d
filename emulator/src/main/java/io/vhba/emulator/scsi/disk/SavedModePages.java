package io.vhba.emulator.scsi.disk;

import java.io.IOException;
import java.util.Optional;

/**
 * Where one logical unit's saved mode pages live (SPC-4 6.11, MODE SELECT SP=1; MODE SENSE PC=11b). The caller
 * decides the place: {@link FileSavedModePages} keeps them in a directory, {@link #NOT_SUPPORTED} has none (saving
 * then fails with the standard sense). Pages are passed whole: page code byte, page length byte, parameters.
 */
public interface SavedModePages {

    /** Whether pages can be saved at all. */
    boolean supportsSaving();

    /** The saved page, or empty when it was never saved. */
    Optional<byte[]> load(int pageCode) throws IOException;

    /** Stores the page durably before returning. */
    void save(int pageCode, byte[] page) throws IOException;

    /** No saved pages: MODE SELECT SP=1 is INVALID FIELD IN CDB, MODE SENSE PC=11b is SAVING PARAMETERS NOT SUPPORTED. */
    SavedModePages NOT_SUPPORTED = new SavedModePages() {
        @Override
        public boolean supportsSaving() {
            return false;
        }

        @Override
        public Optional<byte[]> load(int pageCode) {
            return Optional.empty();
        }

        @Override
        public void save(int pageCode, byte[] page) throws IOException {
            throw new IOException("saving mode pages is not supported");
        }
    };
}
