package io.vhba.emulator.storport;

import io.vhba.emulator.kernel.Irql;
import io.vhba.miniport.HwStorWorkItem;
import io.vhba.miniport.StorStatus;
import io.vhba.miniport.StorWorker;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storport work items ({@code StorPortInitializeWorker}, {@code StorPortQueueWorkItem},
 * {@code StorPortFreeWorker}). The callback runs at PASSIVE_LEVEL on a system worker thread,
 * never on a simulated processor, with no Storport lock held (HW_WORKITEM remarks). Return
 * codes follow storport.h: queueing a queued item is STOR_STATUS_BUSY, freeing a queued one
 * STOR_STATUS_BUSY, freeing a free one STOR_STATUS_UNSUCCESSFUL, queueing on a stopping
 * adapter STOR_STATUS_INVALID_DEVICE_STATE. The item is no longer "queued" once its callback
 * starts, so the callback (or anyone) may requeue it; runs of one item never overlap: a requeue
 * made while its callback runs is run by the same worker thread after the callback returns.
 */
final class WorkItems {
    /** The system worker threads ({@code ExQueueWorkItem}'s pool), shared by every adapter. */
    private static final ExecutorService SYSTEM_WORKERS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "system-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    private final Adapter a;
    private final Set<Item> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger runs = new AtomicInteger();

    private static final class Item {
        boolean queued;
        boolean running;
        boolean cancelled;
        HwStorWorkItem<Object> callback;
        StorWorker worker;
        Object context;
    }

    WorkItems(Adapter adapter) {
        this.a = adapter;
    }

    int initialize(StorWorker worker) {
        if (worker == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        if (a.kernel.currentIrql() > Irql.DISPATCH_LEVEL) {
            return StorStatus.STOR_STATUS_INVALID_IRQL;
        }
        Item i = new Item();
        worker.bindPortContext(i);
        live.add(i);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    int queue(HwStorWorkItem<?> callback, StorWorker worker, Object context) {
        if (a.kernel.currentIrql() > Irql.DISPATCH_LEVEL) {
            return StorStatus.STOR_STATUS_INVALID_IRQL;
        }
        Item i = item(worker);
        if (i == null || callback == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        if (a.state != AdapterState.RUNNING && a.state != AdapterState.STARTING) {
            return StorStatus.STOR_STATUS_INVALID_DEVICE_STATE;
        }
        @SuppressWarnings("unchecked")
        HwStorWorkItem<Object> cb = (HwStorWorkItem<Object>) callback;
        boolean submit;
        synchronized (i) {
            if (i.queued) {
                return StorStatus.STOR_STATUS_BUSY;
            }
            i.queued = true;
            i.cancelled = false;
            i.callback = cb;
            i.worker = worker;
            i.context = context;
            submit = !i.running;
        }
        if (submit) {
            if (a.kernel.scheduler() != null) {
                // deterministic mode: a simulated thread of the scheduler, numbered per adapter
                a.kernel.threads().start("system-worker-" + a.name() + "-" + runs.incrementAndGet(), () -> run(i));
            } else {
                SYSTEM_WORKERS.execute(() -> run(i));
            }
        }
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    int free(StorWorker worker) {
        if (a.kernel.currentIrql() > Irql.DISPATCH_LEVEL) {
            return StorStatus.STOR_STATUS_INVALID_IRQL;
        }
        if (worker == null) {
            return StorStatus.STOR_STATUS_INVALID_PARAMETER;
        }
        Item i = item(worker);
        if (i == null) {
            return StorStatus.STOR_STATUS_UNSUCCESSFUL; // "the work item is already free"
        }
        synchronized (i) {
            if (i.queued) {
                return StorStatus.STOR_STATUS_BUSY;
            }
        }
        live.remove(i);
        worker.bindPortContext(null);
        return StorStatus.STOR_STATUS_SUCCESS;
    }

    void cancelAll() {
        for (Item i : live) {
            synchronized (i) {
                i.cancelled = true;
                i.queued = false;
            }
        }
    }

    private void run(Item i) {
        while (true) {
            HwStorWorkItem<Object> cb;
            StorWorker worker;
            Object context;
            synchronized (i) {
                if (i.cancelled || !i.queued) {
                    i.running = false;
                    return;
                }
                i.queued = false;
                i.running = true;
                cb = i.callback;
                worker = i.worker;
                context = i.context;
            }
            a.call("HwStorWorkItem", () -> {
                cb.workItem(a.deviceExtension, context, worker);
                return true;
            });
        }
    }

    private Item item(StorWorker worker) {
        return worker != null && worker.portContext() instanceof Item i && live.contains(i) ? i : null;
    }
}
