package io.vhba.emulator.storport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapter's record of what its miniport reported through routines whose only effect in
 * Windows is a log entry, an event or a WMI/ETW record (ResetDetected, WMIEvent,
 * BufferOverrunDetected, StorPortLogError...), and of queue-management calls. Bounded: the
 * newest {@value #CAPACITY} entries are kept, and each entry pushed out is counted
 * ({@link #dropped()}, {@code vhba.storport.eventlog.dropped}). Each entry is also logged and
 * counted in the engine's meter registry ({@link PortMetrics}).
 */
public final class PortEventLog {
    static final int CAPACITY = 1024;

    /**
     * One entry.
     *
     * @param routine the storport.h name, e.g. {@code "StorPortNotification(WMIEvent)"}
     * @param address {@code path:target:lun}, or "-" when the call names no LU
     * @param detail  what the call carried
     */
    public record Entry(String routine, String address, String detail) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Runnable onDrop;
    private long dropped;

    PortEventLog(Runnable onDrop) {
        this.onDrop = onDrop;
    }

    void add(Entry e) {
        boolean drop;
        synchronized (this) {
            drop = entries.size() == CAPACITY;
            if (drop) {
                entries.removeFirst();
                dropped++;
            }
            entries.addLast(e);
        }
        if (drop) {
            onDrop.run();
        }
    }

    /** Entries pushed out of the ring so far. */
    public synchronized long dropped() {
        return dropped;
    }

    /** A snapshot, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The entries of one routine. */
    public synchronized List<Entry> entries(String routine) {
        List<Entry> l = new ArrayList<>();
        for (Entry e : entries) {
            if (e.routine().equals(routine)) {
                l.add(e);
            }
        }
        return l;
    }
}
