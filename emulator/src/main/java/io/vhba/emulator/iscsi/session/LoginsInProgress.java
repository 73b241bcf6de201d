package io.vhba.emulator.iscsi.session;

import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connections that have not finished their login, per portal and in total. Past a limit, a new connection takes
 * the place of the one longest in login, which is closed: a real initiator finishes its login in milliseconds, so
 * connections that sit in login (slowloris) are the ones that go, and an attacker must open connections faster than
 * initiators log in to keep anyone out, instead of parking a few for the whole login timeout. Thread-safe: the
 * connections live on different event loops.
 */
public final class LoginsInProgress {

    /** One connection in login; {@link #close} ends it from any thread. */
    public static final class Slot {
        private final Object portal;
        private final String peer;
        private final Runnable close;
        private final long startNanos = System.nanoTime();

        private Slot(Object portal, String peer, Runnable close) {
            this.portal = portal;
            this.peer = peer;
            this.close = close;
        }
    }

    private final int maxTotal;
    private final int maxPerPortal;
    private final LimitEvents events;
    private final LinkedHashSet<Slot> all = new LinkedHashSet<>();
    private final Map<Object, LinkedHashSet<Slot>> byPortal = new HashMap<>();

    public LoginsInProgress(int maxTotal, int maxPerPortal, LimitEvents events) {
        this.maxTotal = maxTotal;
        this.maxPerPortal = maxPerPortal;
        this.events = events;
    }

    /** No limit but the login timeout. */
    public static LoginsInProgress unlimited() {
        return new LoginsInProgress(Integer.MAX_VALUE, Integer.MAX_VALUE, new LimitEvents());
    }

    /**
     * A connection on {@code portal} (the listening address) from {@code peer} starts its login; {@code close} ends it
     * if it must make room later. May close the connection longest in login first.
     */
    public Slot begin(Object portal, String peer, Runnable close) {
        Slot s = new Slot(portal, peer, close);
        Slot victim = null;
        Limit reached = null;
        synchronized (this) {
            LinkedHashSet<Slot> here = byPortal.computeIfAbsent(portal, p -> new LinkedHashSet<>());
            here.add(s);
            all.add(s);
            if (here.size() > maxPerPortal) {
                victim = oldest(here);
                reached = Limit.LOGINS_IN_PROGRESS_PER_PORTAL;
            } else if (all.size() > maxTotal) {
                victim = oldest(all);
                reached = Limit.LOGINS_IN_PROGRESS;
            }
            if (victim != null) {
                remove(victim);
            }
        }
        if (victim != null) {
            Slot v = victim;
            int limit = reached == Limit.LOGINS_IN_PROGRESS ? maxTotal : maxPerPortal;
            events.reached(reached, () -> limit + " on " + v.portal + "; closed the connection from " + v.peer
                    + ", in login for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - v.startNanos) + " ms");
            v.close.run();
        }
        return s;
    }

    /** The login of {@code slot} ended (full feature phase, failure or close); idempotent. */
    public synchronized void end(Slot slot) {
        if (slot != null) {
            remove(slot);
        }
    }

    /** Connections in login now. */
    public synchronized int count() {
        return all.size();
    }

    private static Slot oldest(LinkedHashSet<Slot> set) {
        Iterator<Slot> i = set.iterator();
        return i.next();
    }

    private void remove(Slot s) {
        all.remove(s);
        LinkedHashSet<Slot> here = byPortal.get(s.portal);
        if (here != null) {
            here.remove(s);
            if (here.isEmpty()) {
                byPortal.remove(s.portal);
            }
        }
    }
}
