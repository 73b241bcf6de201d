package io.vhba.emulator.kernel.sched;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, with assertions on (the tests), the rule that no Java monitor is held across a scheduling point
 * (docs/architecture.md, "Deterministic mode"): a thread parked at a point holding a monitor would block the next
 * baton holder in the JVM, where the scheduler cannot see it. Asking {@code ThreadMXBean} is slow, so only every
 * {@value #EVERY}th point is checked; a violation is logged and counted. Touched only by the baton holder.
 */
final class MonitorCheck {
    /** The scheduler's own logger: the split into collaborators does not change where its messages go. */
    private static final Logger LOG = LoggerFactory.getLogger(DeterministicScheduler.class);
    /** With assertions on, every this many points check that the holder holds no Java monitor. */
    private static final int EVERY = 64;
    private static final boolean ASSERTIONS;

    static {
        boolean on = false;
        assert on = true;
        ASSERTIONS = on;
    }

    private long violations;

    /** The holder {@code me} reached the point of step {@code step}. */
    void atPoint(long step, SimThread me) {
        if (ASSERTIONS && step % EVERY == 0) {
            check(me);
        }
    }

    /** Points at which the holder held a Java monitor. */
    long violations() {
        return violations;
    }

    private void check(SimThread me) {
        ThreadInfo[] info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {me.thread.getId()}, true, false);
        if (info.length == 1 && info[0] != null && info[0].getLockedMonitors().length > 0) {
            violations++;
            LOG.error("{} reached a scheduling point holding {}: a Java monitor must not be held across a point "
                    + "(docs/architecture.md, Deterministic mode)", me, info[0].getLockedMonitors()[0]);
        }
    }
}
