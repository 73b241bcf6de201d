package io.vhba.emulator.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.limits.LimitEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Past the limit of connections in login, the one longest in login makes room. */
class LoginsInProgressTest {
    private final LimitEvents events = new LimitEvents();
    private final LoginsInProgress logins = new LoginsInProgress(5, 3, events);
    private final List<String> closed = new ArrayList<>();

    private LoginsInProgress.Slot begin(String portal, String peer) {
        return logins.begin(portal, peer, () -> closed.add(peer));
    }

    @Test
    void theOldestLoginOnAFullPortalIsClosed() {
        begin("p1", "a");
        begin("p1", "b");
        begin("p1", "c");
        assertThat(closed).isEmpty();
        begin("p1", "d");
        assertThat(closed).containsExactly("a");
        assertThat(logins.count()).isEqualTo(3);
        assertThat(events.count(Limit.LOGINS_IN_PROGRESS_PER_PORTAL)).isOne();
    }

    @Test
    void theTotalLimitSpansPortals() {
        begin("p1", "a");
        begin("p2", "b");
        begin("p1", "c");
        begin("p2", "d");
        begin("p3", "e");
        begin("p3", "f");
        assertThat(closed).containsExactly("a");
        assertThat(events.count(Limit.LOGINS_IN_PROGRESS)).isOne();
    }

    @Test
    void aFinishedLoginFreesItsSlotAndEndingTwiceIsHarmless() {
        LoginsInProgress.Slot a = begin("p1", "a");
        begin("p1", "b");
        begin("p1", "c");
        logins.end(a);
        logins.end(a);
        logins.end(null);
        begin("p1", "d");
        assertThat(closed).isEmpty();
        assertThat(logins.count()).isEqualTo(3);
    }
}
