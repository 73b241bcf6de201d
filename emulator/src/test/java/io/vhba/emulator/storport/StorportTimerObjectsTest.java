package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.StorTimer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StorPortInitializeTimer / StorPortRequestTimer / StorPortFreeTimer. */
class StorportTimerObjectsTest extends EngineFixture {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void up() throws Exception {
        start();
    }

    private int request(StorTimer t, String context, long micros) throws Exception {
        return onProcessor(() -> ext().port.requestTimer(ext(), t, (e, ctx) -> {
            KThreadState st = KThreadState.current();
            calls.add(ctx + " " + Irql.name(st.irql()) + " startIoLock=" + adapter.startIoLock.isHeldByCurrentThread()
                    + " cpu=" + (st.processor() == null ? -1 : st.processor().number()));
        }, context, micros, 0));
    }

    private StorTimer newTimer() throws Exception {
        StorTimer t = new StorTimer();
        assertThat((int) onProcessor(() -> ext().port.initializeTimer(ext(), t))).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        return t;
    }

    @Test
    void aTimerFiresOnceAtDispatchLevelUnderTheStartIoLock() throws Exception {
        StorTimer t = newTimer();
        assertThat(request(t, "one", 1000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        await("the timer callback", () -> adapter.timerObjects.firedCount(t) == 1);
        await("the callback to finish", () -> calls.size() == 1);
        // a later timer on the same processor fires after the first would have fired again
        StorTimer probe = newTimer();
        assertThat(request(probe, "probe", 20_000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        await("the probe", () -> calls.size() == 2);
        assertThat(calls).containsExactly("one DISPATCH_LEVEL startIoLock=true cpu=0", "probe DISPATCH_LEVEL startIoLock=true cpu=0");
        assertThat(adapter.timerObjects.firedCount(t)).isEqualTo(1);
    }

    @Test
    void aRequestWhileOnePendsIsBusyAndZeroCancelsSoTheReArmedOneFiresOnce() throws Exception {
        StorTimer t = newTimer();
        assertThat(request(t, "first", 60_000_000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat(request(t, "second", 1000)).isEqualTo(StorStatus.STOR_STATUS_BUSY);
        assertThat(request(t, "cancel", 0)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat(request(t, "rearmed", 1000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        await("the re-armed timer", () -> calls.size() == 1);
        assertThat(calls.get(0)).startsWith("rearmed ");
        assertThat(adapter.timerObjects.firedCount(t)).isEqualTo(1);
        assertThat(request(t, "again", 1000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS); // one-shot: free to re-arm
        await("the second shot", () -> calls.size() == 2);
    }

    @Test
    void freeingAPendingTimerCancelsIt() throws Exception {
        StorTimer t = newTimer();
        // 1 s, not a few ms: on a loaded 2-core machine the free itself can take longer than a short timer
        assertThat(request(t, "freed", 1_000_000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat((int) onProcessor(() -> ext().port.freeTimer(ext(), t))).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        StorTimer probe = newTimer();
        assertThat(request(probe, "probe", 1_500_000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS); // due after the freed one
        await("the probe", () -> calls.size() == 1);
        assertThat(calls).singleElement().satisfies(c -> assertThat(c).startsWith("probe "));
        assertThat(request(t, "after free", 1000)).isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
        assertThat((int) onProcessor(() -> ext().port.freeTimer(ext(), t))).isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
    }

    @Test
    void aTimerIsDistinctFromTheLegacyRequestTimerCall() throws Exception {
        StorTimer t = newTimer();
        List<String> legacy = new CopyOnWriteArrayList<>();
        onProcessor(() -> ext().port.notification(io.vhba.miniport.NotificationType.REQUEST_TIMER_CALL, ext(),
                (io.vhba.miniport.HwStorTimer<TestMiniport.Ext>) e -> legacy.add("legacy"), 2000L));
        assertThat(request(t, "object", 1000)).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        await("both timers", () -> calls.size() == 1 && legacy.size() == 1);
    }
}
