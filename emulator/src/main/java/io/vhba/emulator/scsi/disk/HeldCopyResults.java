package io.vhba.emulator.scsi.disk;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The EXTENDED COPY(LID1) commands one copy manager knows by list identifier (SPC-4 6.4.3.2, 6.18): those running
 * (their list identifier must stay unique) and the results of finished ones with LIST ID USAGE 00b, held until
 * RECEIVE COPY RESULTS has returned them whole, a new copy reuses the identifier, or the holder is discarded (I_T
 * nexus loss). The device does not see the I_T nexus a command came from, so identifiers are unique per logical unit.
 */
final class HeldCopyResults {

    /** COPY MANAGER STATUS (SPC-4 table 390). */
    enum CopyManagerStatus {
        IN_PROGRESS(0x00), COMPLETED(0x01), COMPLETED_WITH_ERRORS(0x02);

        final int code;

        CopyManagerStatus(int code) {
            this.code = code;
        }
    }

    /** What COPY STATUS reports. */
    record Status(CopyManagerStatus status, int segmentsProcessed, long bytesTransferred) {}

    /** A running copy, updated as its segments complete. */
    static final class Progress {
        final int listId;
        final AtomicInteger segments = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();

        Progress(int listId) {
            this.listId = listId;
        }

        Status status(CopyManagerStatus s) {
            return new Status(s, segments.get(), bytes.get());
        }
    }

    /** A finished copy: its status until read, its failure sense (null after success or once read). */
    private record Held(Status status, SenseData failure) {}

    /**
     * Results held at once. LID1 list identifiers are one byte, so at most 256 could be held; an initiator
     * that never reads them would keep them all until its nexus ends. Past the cap the result held longest
     * is dropped (counted in {@link #dropped()}); RECEIVE COPY RESULTS for it then finds no such list
     * identifier, as after a nexus loss.
     */
    static final int HELD_CAPACITY = 64;

    private final Map<Integer, Progress> running = new HashMap<>();
    /** Held results, in the order they were first held. */
    private final Map<Integer, Held> held = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Held> eldest) {
            if (size() <= HELD_CAPACITY) {
                return false;
            }
            dropped.incrementAndGet();
            return true;
        }
    };
    private final AtomicLong dropped = new AtomicLong();
    private int active;

    /**
     * Starts a copy. A tracked list identifier already running is OPERATION IN PROGRESS (SPC-4 6.4.3.2).
     *
     * @return the copy's progress, or null when {@link CopyManagerLimits#MAX_CONCURRENT_COPIES} copies already run
     *         (the caller answers BUSY: the initiator retries once one has ended)
     */
    synchronized Progress begin(int listId, boolean tracked) {
        if (tracked && running.containsKey(listId)) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.OPERATION_IN_PROGRESS);
        }
        if (active >= CopyManagerLimits.MAX_CONCURRENT_COPIES) {
            return null;
        }
        active++;
        Progress p = new Progress(listId);
        if (tracked) {
            running.put(listId, p);
            held.remove(listId); // a new copy with the same identifier replaces what was held for it
        }
        return p;
    }

    /** Ends a copy; holds its status (and its failure, if any) when {@code hold}. */
    synchronized void end(Progress p, boolean tracked, boolean hold, SenseData failure) {
        active--;
        if (tracked) {
            running.remove(p.listId, p);
        }
        if (hold) {
            held.put(p.listId, new Held(p.status(failure == null ? CopyManagerStatus.COMPLETED
                    : CopyManagerStatus.COMPLETED_WITH_ERRORS), failure));
        }
    }

    /** COPY STATUS of a running or held copy, or null when the identifier names neither. */
    synchronized Status status(int listId) {
        Progress p = running.get(listId);
        if (p != null) {
            return p.status(CopyManagerStatus.IN_PROGRESS);
        }
        Held h = held.get(listId);
        return h == null ? null : h.status();
    }

    synchronized boolean running(int listId) {
        return running.containsKey(listId);
    }

    /** The failure sense held for the identifier, or null. */
    synchronized SenseData failure(int listId) {
        Held h = held.get(listId);
        return h == null ? null : h.failure();
    }

    /** After COPY STATUS of a finished copy was returned whole: the status is no longer held. */
    synchronized void statusReturned(int listId) {
        Held h = held.get(listId);
        if (h != null) {
            retain(listId, h.failure() == null ? null : new Held(null, h.failure()));
        }
    }

    /** After FAILED SEGMENT DETAILS were returned whole: the failure is no longer held. */
    synchronized void failureReturned(int listId) {
        Held h = held.get(listId);
        if (h != null) {
            retain(listId, h.status() == null ? null : new Held(h.status(), null));
        }
    }

    /** Held results dropped to keep the cap, since the copy manager started. */
    long dropped() {
        return dropped.get();
    }

    /** Results held now. */
    synchronized int heldCount() {
        return held.size();
    }

    /** Drops every held result (running copies finish as they are). */
    synchronized void discard() {
        held.clear();
    }

    private void retain(int listId, Held h) {
        if (h == null) {
            held.remove(listId);
        } else {
            held.put(listId, h);
        }
    }
}
