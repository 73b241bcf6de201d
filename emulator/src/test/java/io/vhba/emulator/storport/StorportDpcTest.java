package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.BugCheckException;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.kernel.KDpc;
import io.vhba.miniport.wdf.WdfDpc;
import io.vhba.miniport.wdf.WdfDpcConfig;
import io.vhba.miniport.wdf.WdfObject;
import io.vhba.miniport.wdf.WdfObjectAttributes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Storport's DPC facade (StorPortIssueDpc, the DPC lock) and the two others a port hands out, on one engine. */
class StorportDpcTest {
    private Kernel kernel;
    private StorportVerifier verifier;
    private VirtualDpcMiniport driver;
    private PortServices port;
    private Adapter adapter;

    @BeforeEach
    void start() throws Exception {
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        verifier = new StorportVerifier();
        StorportEngine engine = new StorportEngine(kernel, new HostMemory(8L << 20), new MmioBus(), verifier,
                EngineSettings.defaults());
        driver = new VirtualDpcMiniport();
        port = engine.load(driver);
        adapter = engine.startAdapter(port, null, "vdpc0").get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        kernel.close();
    }

    private VirtualDpcMiniport.Ext ext() {
        return driver.ext;
    }

    private <T> T atDispatchOn(int cpu, java.util.function.Supplier<T> body) {
        return kernel.processor(cpu).executor().submit(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            try {
                return body.get();
            } finally {
                kernel.lowerIrql(old);
            }
        }).syncUninterruptibly().getNow();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theDpcsWereInitialisedInPassiveInitialisation() {
        assertThat(adapter.state()).isEqualTo(AdapterState.RUNNING);
        assertThat(adapter.dpcCount()).isEqualTo(2);
        assertThat(verifier.bugChecks()).isEmpty();
    }

    @Test
    void issueDpcReturnsFalseWhileQueuedAndTheDpcRunsOnceWithTheFirstArguments() {
        List<String> runs = new CopyOnWriteArrayList<>();
        driver.routine = (d, e, a1, a2) -> runs.add(a1 + "/" + a2 + " cpu" + kernel.currentProcessor().number());
        List<Boolean> issued = atDispatchOn(1, () -> List.of(
                ext().port.issueDpc(ext(), ext().first, "a", 1),
                ext().port.issueDpc(ext(), ext().first, "b", 2)));
        assertThat(issued).containsExactly(true, false);
        assertThat(runs).containsExactly("a/1 cpu1"); // the default target: the issuing processor
    }

    @Test
    void aDpcIssuedAgainWhileRunningRunsConcurrentlyOnTheOtherProcessor() {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        driver.routine = (d, e, a1, a2) -> {
            runs.add(a1 + "@cpu" + kernel.currentProcessor().number());
            if ("first".equals(a1)) {
                firstInside.countDown();
                await(secondStarted);
            } else {
                secondStarted.countDown();
            }
        };
        kernel.processor(0).executor().execute(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            ext().port.issueDpc(ext(), ext().first, "first", null);
            kernel.lowerIrql(old); // the DPC runs here, on CPU0
        });
        await(firstInside);
        assertThat(atDispatchOn(1, () -> ext().port.issueDpc(ext(), ext().first, "second", null))).isTrue();
        kernel.flushQueuedDpcs();
        assertThat(runs).containsExactly("first@cpu0", "second@cpu1");
        assertThat(secondStarted.getCount()).isZero();
    }

    @Test
    void theDpcLockSerialisesTwoRunsOfOneDpc() {
        CountDownLatch firstInside = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        DpcBinding binding = (DpcBinding) ext().first.portContext();
        driver.routine = (d, e, a1, a2) -> {
            StorLockHandle h = new StorLockHandle();
            e.port.acquireSpinLock(e, SpinLockType.DPC_LOCK, d, h);
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            order.add(a1 + " in");
            if ("first".equals(a1)) {
                firstInside.countDown();
                while (!binding.dpcLock().hasWaiters()) { // until the second run waits for the lock
                    Thread.onSpinWait();
                }
            }
            order.add(a1 + " out");
            inside.decrementAndGet();
            e.port.releaseSpinLock(e, h);
        };
        kernel.processor(0).executor().execute(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL);
            ext().port.issueDpc(ext(), ext().first, "first", null);
            kernel.lowerIrql(old);
        });
        await(firstInside);
        atDispatchOn(1, () -> ext().port.issueDpc(ext(), ext().first, "second", null));
        kernel.flushQueuedDpcs();
        assertThat(order).containsExactly("first in", "first out", "second in", "second out");
        assertThat(maxInside).hasValue(1);
        assertThat(verifier.bugChecks()).isEmpty();
    }

    @Test
    void aVirtualMiniportMayUseTheKernelAndFrameworkFacadesOfItsPort() {
        List<String> ran = new CopyOnWriteArrayList<>();
        KDpc kdpc = new KDpc();
        port.kernel().initializeDpc(kdpc, (d, c, a1, a2) -> ran.add("Ke " + c + " " + a1), "ctx");
        port.kernel().setTargetProcessorDpc(kdpc, 1);
        WdfObject parent = port.wdf().objectCreate(WdfObjectAttributes.none());
        WdfDpc wdfDpc = port.wdf().dpcCreate(WdfDpcConfig.init(d -> ran.add("Wdf")), WdfObjectAttributes.parent(parent));
        assertThat(port.kernel().insertQueueDpc(kdpc, "x", null)).isTrue();
        assertThat(port.wdf().dpcEnqueue(wdfDpc)).isTrue();
        port.kernel().flushQueuedDpcs();
        assertThat(ran).containsExactlyInAnyOrder("Ke ctx x", "Wdf");
        assertThat(port.wdf().dpcGetParentObject(wdfDpc)).isSameAs(parent);
        port.wdf().objectDelete(parent);
        assertThat(verifier.bugChecks()).isEmpty();
    }

    @Test
    void aFrameworkMisuseIsBugCheck0x10DWithTheWdfCode() {
        WdfObject parent = port.wdf().objectCreate(WdfObjectAttributes.none());
        WdfDpc dpc = port.wdf().dpcCreate(WdfDpcConfig.init(d -> { }), WdfObjectAttributes.parent(parent));
        port.wdf().objectDelete(parent);
        assertThatThrownBy(() -> port.wdf().dpcEnqueue(dpc)).isInstanceOf(BugCheckException.class);
        BugCheck bc = verifier.bugChecks().get(0);
        assertThat(bc.code()).isEqualTo(0x10D);
        assertThat(bc.rule()).isEqualTo(VerifierRule.WDF_INVALID_HANDLE);
        assertThat(bc.parameter1()).isEqualTo(0x5);
        assertThat(bc.parameter2()).isEqualTo(System.identityHashCode(dpc));
        assertThat(bc.summary()).startsWith("BugCheck 0x10D (0x5, ");
    }
}
