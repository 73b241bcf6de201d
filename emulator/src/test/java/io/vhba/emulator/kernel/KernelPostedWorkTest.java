package io.vhba.emulator.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Posted device work (a doorbell's effect) never runs under the writer's spin lock, and needs no hand-off. */
class KernelPostedWorkTest {
    private Kernel kernel;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<String> order = new CopyOnWriteArrayList<>();

    @BeforeEach
    void boot() {
        kernel = Kernel.boot(2, (rule, detail) -> violations.add(rule + ": " + detail));
    }

    @AfterEach
    void shutdown() {
        kernel.close();
        assertThat(violations).isEmpty();
    }

    private void onCpu0(Runnable body) {
        kernel.processor(0).executor().submit(body).syncUninterruptibly();
    }

    private String where() {
        KThreadState st = KThreadState.current();
        return Thread.currentThread().getName() + "@" + Irql.name(st.irql()) + " locks=" + st.heldLocks().size();
    }

    @Test
    void workPostedUnderALockRunsWhenTheLockIsReleasedOnTheSameProcessor() {
        KSpinLock startIo = new KSpinLock("StartIo", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        onCpu0(() -> {
            int old = kernel.acquire(startIo);
            kernel.postDeviceWork(() -> order.add("device " + where()));
            order.add("still in StartIo");
            kernel.release(startIo, old);
            order.add("after release");
        });
        assertThat(order).containsExactly("still in StartIo", "device cpu0@DISPATCH_LEVEL locks=0", "after release");
    }

    @Test
    void workPostedWithNoLockHeldRunsAtOnce() {
        onCpu0(() -> {
            kernel.postDeviceWork(() -> order.add("device " + where()));
            order.add("after post");
        });
        assertThat(order).containsExactly("device cpu0@PASSIVE_LEVEL locks=0", "after post");
    }

    @Test
    void aThreadThatIsNoProcessorRunsItAtOnce() {
        kernel.postDeviceWork(() -> order.add("device"));
        assertThat(order).containsExactly("device");
    }

    @Test
    void nestedLocksDeferTheWorkToTheOutermostRelease() {
        KSpinLock dpcLock = new KSpinLock("Dpc", Irql.DISPATCH_LEVEL, KSpinLock.RANK_DPC);
        KSpinLock startIo = new KSpinLock("StartIo", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        onCpu0(() -> {
            int o1 = kernel.acquire(dpcLock);
            int o2 = kernel.acquire(startIo);
            kernel.postDeviceWork(() -> order.add("device locks=" + KThreadState.current().heldLocks().size()));
            kernel.release(startIo, o2);
            order.add("inner released");
            kernel.release(dpcLock, o1);
            order.add("outer released");
        });
        assertThat(order).containsExactly("inner released", "device locks=0", "outer released");
    }

    @Test
    void anInterruptTheWorkRaisesIsDeliveredByTheIrqlDropWithoutAHandOff() {
        KSpinLock startIo = new KSpinLock("StartIo", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        KSpinLock intLock = new KSpinLock("int", Irql.DIRQL_MIN, KSpinLock.RANK_INTERRUPT);
        KInterrupt ki = new KInterrupt("msi0", Irql.DIRQL_MIN, intLock, kernel.processor(0), false, i -> {
            order.add("ISR " + Thread.currentThread().getName());
            return true;
        });
        onCpu0(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            int o2 = kernel.acquire(startIo);
            kernel.postDeviceWork(() -> {
                order.add("device");
                kernel.signal(ki);
            });
            order.add("doorbell written");
            kernel.release(startIo, o2);
            order.add("StartIo lock released");
            kernel.lowerIrql(old);
        });
        assertThat(order).containsExactly("doorbell written", "device", "ISR cpu0", "StartIo lock released");
    }

    @Test
    void aFailingDeviceModelIsNoDriverBugAndTheProcessorGoesOn() {
        KSpinLock startIo = new KSpinLock("StartIo", Irql.DISPATCH_LEVEL, KSpinLock.RANK_START_IO);
        onCpu0(() -> {
            int old = kernel.acquire(startIo);
            kernel.postDeviceWork(() -> {
                throw new IllegalStateException("model bug");
            });
            kernel.postDeviceWork(() -> order.add("next device work"));
            kernel.release(startIo, old);
            order.add("released " + KThreadState.current().heldLocks().size());
        });
        assertThat(order).containsExactly("next device work", "released 0");
        // no violation reaches the sink (checked after each test)
    }
}
