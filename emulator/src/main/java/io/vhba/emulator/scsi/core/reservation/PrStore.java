package io.vhba.emulator.scsi.core.reservation;

import java.io.IOException;

/** Where APTPL state lives between runs (SPC-4 5.13.5); {@link #NONE} when nothing can persist. */
public interface PrStore {

    /** Whether APTPL=1 can be honoured (REPORT CAPABILITIES PTPL_C). */
    boolean canPersist();

    /** The saved state of {@code lunId}, or null when none. */
    PrSnapshot load(String lunId) throws IOException;

    /** Replaces the saved state of {@code lunId} atomically. */
    void save(String lunId, PrSnapshot snapshot) throws IOException;

    /** Removes the saved state of {@code lunId}, if any. */
    void delete(String lunId) throws IOException;

    PrStore NONE = new PrStore() {
        @Override
        public boolean canPersist() {
            return false;
        }

        @Override
        public PrSnapshot load(String lunId) {
            return null;
        }

        @Override
        public void save(String lunId, PrSnapshot snapshot) throws IOException {
            throw new IOException("no state directory: persist through power loss is not supported");
        }

        @Override
        public void delete(String lunId) {
            // nothing is ever saved
        }
    };
}
