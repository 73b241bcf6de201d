package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.kernel.ProcessorThread;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.StorWorker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StorPortInitializeWorker / StorPortQueueWorkItem / StorPortFreeWorker. */
class StorportWorkItemsTest extends EngineFixture {
    private final List<String> runs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void up() throws Exception {
        start();
    }

    private StorWorker newWorker() throws Exception {
        StorWorker w = new StorWorker();
        assertThat((int) onProcessor(() -> ext().port.initializeWorker(ext(), w))).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        return w;
    }

    @Test
    void aWorkItemRunsAtPassiveLevelOnASystemWorkerThreadWithNoLock() throws Exception {
        StorWorker w = newWorker();
        int status = onProcessor(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL); // queued from DISPATCH_LEVEL, as from a DPC
            try {
                return ext().port.queueWorkItem(ext(), (e, ctx, worker) -> {
                    KThreadState st = KThreadState.current();
                    runs.add(ctx + " " + Irql.name(st.irql()) + " locks=" + st.heldLocks().size()
                            + " processorThread=" + (Thread.currentThread() instanceof ProcessorThread)
                            + " sameWorker=" + (worker == w) + " ext=" + (e == ext()));
                }, w, "ctx");
            } finally {
                kernel.lowerIrql(old);
            }
        });
        assertThat(status).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        await("the work item", () -> runs.size() == 1);
        assertThat(runs).containsExactly("ctx PASSIVE_LEVEL locks=0 processorThread=false sameWorker=true ext=true");
    }

    @Test
    void queueingAQueuedItemIsBusyAndARequeueRunsAfterTheCallbackReturns() throws Exception {
        StorWorker w = newWorker();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        io.vhba.miniport.HwStorWorkItem<TestMiniport.Ext> cb = (e, ctx, worker) -> {
            runs.add((String) ctx);
            if ("first".equals(ctx)) {
                inside.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertThat(ext().port.queueWorkItem(ext(), cb, w, "first")).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        // running, no longer queued: it may be queued again, once
        assertThat(ext().port.queueWorkItem(ext(), cb, w, "second")).isEqualTo(StorStatus.STOR_STATUS_SUCCESS);
        assertThat(ext().port.queueWorkItem(ext(), cb, w, "third")).isEqualTo(StorStatus.STOR_STATUS_BUSY);
        assertThat(ext().port.freeWorker(ext(), w)).isEqualTo(StorStatus.STOR_STATUS_BUSY); // still queued
        release.countDown();
        await("the requeued run", () -> runs.size() == 2);
        assertThat(runs).containsExactly("first", "second");
        await("the item to become free", () -> ext().port.freeWorker(ext(), w) == StorStatus.STOR_STATUS_SUCCESS);
        assertThat(ext().port.freeWorker(ext(), w)).isEqualTo(StorStatus.STOR_STATUS_UNSUCCESSFUL); // already free
        assertThat(ext().port.queueWorkItem(ext(), cb, w, "after free")).isEqualTo(StorStatus.STOR_STATUS_INVALID_PARAMETER);
    }

    @Test
    void aStoppedAdapterRefusesWorkItems() throws Exception {
        StorWorker w = newWorker();
        adapter.stop();
        assertThat(ext().port.queueWorkItem(ext(), (e, c, x) -> runs.add("ran"), w, null))
                .isEqualTo(StorStatus.STOR_STATUS_INVALID_DEVICE_STATE);
        assertThat(runs).isEmpty();
    }
}
