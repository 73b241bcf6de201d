package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.InterruptSynchronizationMode;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorDpc;
import io.vhba.miniport.StorLockHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The routines that predate the coverage work, each against its observable behaviour. */
class StorportCoreRoutinesTest extends EngineFixture {

    @Test
    void setDeviceQueueDepthLimitsOutstandingRequestsAndRaisingItStartsWaitingOnes() throws Exception {
        start();
        assertThat(ext().port.setDeviceQueueDepth(ext(), 0, 0, 9, 4)).isFalse(); // no INQUIRY seen there
        assertThat(ext().port.setDeviceQueueDepth(ext(), 0, 0, 0, 1)).isTrue();
        device.holdAll = true;
        CompletableFuture<Done> a = read(0, 0);
        CompletableFuture<Done> b = read(0, 1);
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        await("one at the device, one queued", () -> device.parkedCount() == 1 && lu.pendingCount() == 1);
        assertThat(lu.queueDepth()).isEqualTo(1);
        assertThat(ext().port.setDeviceQueueDepth(ext(), 0, 0, 0, 2)).isTrue();
        await("the second at the device", () -> device.parkedCount() == 2);
        device.holdAll = false;
        device.releaseAll();
        assertThat(a.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(b.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void synchronizeAccessRunsTheRoutineAtDirqlHoldingTheInterruptLock() throws Exception {
        start();
        String seen = onProcessor(() -> {
            String[] s = new String[1];
            boolean r = ext().port.synchronizeAccess(ext(), (e, ctx) -> {
                s[0] = ctx + " " + Irql.name(KThreadState.current().irql()) + " " + adapter.interruptLock.isHeldByCurrentThread();
                return true;
            }, "ctx");
            return r + " " + s[0] + " after=" + Irql.name(KThreadState.current().irql());
        });
        assertThat(seen).isEqualTo("true ctx DIRQL(5) true after=PASSIVE_LEVEL");
    }

    @Test
    void msiSpinLocksArePerMessageWhenSoConfigured() throws Exception {
        TestMiniport m = new TestMiniport();
        m.interruptSync = InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE;
        start(m, new TestController());
        String seen = onProcessor(() -> {
            int old = ext().port.acquireMsiSpinLock(ext(), 0);
            String inside = Irql.name(KThreadState.current().irql()) + " " + adapter.msiLocks[0].isHeldByCurrentThread();
            ext().port.releaseMsiSpinLock(ext(), 0, old);
            return Irql.name(old) + " " + inside + " " + adapter.msiLocks[0].isHeldByCurrentThread();
        });
        assertThat(seen).isEqualTo("PASSIVE_LEVEL DIRQL(5) true false");
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        onProcessor(() -> ext().port.acquireMsiSpinLock(ext(), 3)); // no such message
        assertThat(verifier.awaitBugCheck(VerifierRule.IRQL, 1, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void startIoAndDpcLocksAreTakenAndReleasedThroughTheHandle() throws Exception {
        start();
        String seen = onProcessor(() -> {
            StorLockHandle h = new StorLockHandle();
            ext().port.acquireSpinLock(ext(), SpinLockType.START_IO_LOCK, null, h);
            String in = Irql.name(KThreadState.current().irql()) + " " + adapter.startIoLock.isHeldByCurrentThread();
            ext().port.releaseSpinLock(ext(), h);
            StorLockHandle d = new StorLockHandle();
            ext().port.acquireSpinLock(ext(), SpinLockType.DPC_LOCK, ext().dpc, d);
            String dpc = KThreadState.current().heldLocks().get(0).name();
            ext().port.releaseSpinLock(ext(), d);
            return in + " " + dpc + " " + KThreadState.current().heldLocks().size();
        });
        assertThat(seen).isEqualTo("DISPATCH_LEVEL true test0 DpcLock#0 0");
        assertThatThrownBy(() -> ext().port.acquireSpinLock(ext(), SpinLockType.THREADED_DPC_LOCK, null, new StorLockHandle()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("THREADED_DPC_LOCK");
    }

    @Test
    void issueDpcRunsTheDpcOnceAndRefusesAnUninitialisedOne() throws Exception {
        start();
        long dpcs = ext().events.stream().filter(s -> s.startsWith("DPC ")).count();
        boolean first = onProcessor(() -> {
            int old = kernel.raiseIrql(Irql.DISPATCH_LEVEL); // both inserts before the DPC can run
            try {
                boolean one = ext().port.issueDpc(ext(), ext().dpc, null, null);
                boolean two = ext().port.issueDpc(ext(), ext().dpc, null, null);
                return one && !two;
            } finally {
                kernel.lowerIrql(old);
            }
        });
        assertThat(first).isTrue();
        await("the DPC", () -> ext().events.stream().filter(s -> s.startsWith("DPC ")).count() == dpcs + 1);
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        assertThat((boolean) onProcessor(() -> ext().port.issueDpc(ext(), new StorDpc(), null, null))).isFalse();
        assertThat(verifier.awaitBugCheck(VerifierRule.UNDOCUMENTED_NOTIFICATION, 1, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void routinesLegalOnlyDuringStartUpAreRefusedLater() throws Exception {
        start();
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        assertThat((boolean) onProcessor(() -> ext().port.enablePassiveInitialization(ext(), x -> true))).isFalse();
        assertThat(verifier.awaitBugCheck(VerifierRule.ENABLE_PASSIVE_OUTSIDE_HW_INITIALIZE, 1, TimeUnit.SECONDS)).isNotNull();
        assertThat(onProcessor(() -> ext().port.getUncachedExtension(ext(), adapter.config, 4096))).isNull();
        assertThat(verifier.awaitBugCheck(VerifierRule.UNCACHED_EXTENSION_WRONG_TIME, 1, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void addressTranslationAndDeviceBase() throws Exception {
        start();
        long va = ext().port.getVirtualAddress(ext(), ext().descriptorsPa + 256);
        assertThat(va).isEqualTo(ext().descriptors.virtualAddress() + 256);
        assertThat(ext().port.getVirtualAddress(ext(), 0x1234)).isZero(); // not common-buffer memory
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        assertThat(ext().port.getDeviceBase(ext(), InterfaceType.PCI_BUS, 0, 0x10, 16, false)).isZero();
        assertThat(verifier.awaitBugCheck(VerifierRule.BAD_DEVICE_BASE, 1, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void getLogicalUnitReturnsTheSameExtensionForAFoundUnitOnly() throws Exception {
        TestMiniport m = new TestMiniport();
        m.luExtensions = true;
        start(m, new TestController());
        Object lu1 = ext().port.getLogicalUnit(ext(), 0, 0, 1);
        assertThat(lu1).isInstanceOf(int[].class).isSameAs(ext().port.getLogicalUnit(ext(), 0, 0, 1));
        assertThat(lu1).isNotSameAs(ext().port.getLogicalUnit(ext(), 0, 0, 0));
        assertThat(ext().port.getLogicalUnit(ext(), 0, 0, 5)).isNull();
    }

    @Test
    void tickCountProcessorNumberAndStall() throws Exception {
        start();
        long t0 = ext().port.queryTickCount(ext());
        Thread.sleep(35); // more than two 15.625 ms ticks
        assertThat(ext().port.queryTickCount(ext())).isGreaterThanOrEqualTo(t0 + 2);
        CompletableFuture<Integer> cpu = new CompletableFuture<>();
        kernel.processor(1).executor().execute(() -> cpu.complete(ext().port.getCurrentProcessorNumber(ext())));
        assertThat(cpu.get(5, TimeUnit.SECONDS)).isEqualTo(1);

        long s0 = System.nanoTime();
        ext().port.stallExecution(2000);
        assertThat(System.nanoTime() - s0).isGreaterThanOrEqualTo(2_000_000L);
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        onProcessor(() -> {
            adapter.call("HwStorTimer", () -> {
                ext().port.stallExecution(150_000);
                return true;
            });
            return null;
        });
        assertThat(verifier.awaitBugCheck(VerifierRule.STALL_TOO_LONG, 1, TimeUnit.SECONDS).parameter2()).isEqualTo(150_000);
    }

    @Test
    void nextRequestAndServiceTimeNotificationsAreRecordedOnly() throws Exception {
        start();
        onProcessor(() -> ext().port.notification(NotificationType.NEXT_REQUEST, ext()));
        onProcessor(() -> ext().port.notification(NotificationType.NEXT_LU_REQUEST, ext(), 0, 0, 1));
        assertThat(adapter.eventLog().entries()).extracting(PortEventLog.Entry::address).containsExactly("-", "0:0:1");
        assertThat(verifier.meters().counter("vhba.storport.notifications", "adapter", "test0", "type", "NEXT_REQUEST")
                .count()).isEqualTo(1);
    }

    @Test
    void theMachineIsOneGroupAndOneNodeOfEveryProcessor() throws Exception {
        start();
        var p = ext().port;
        assertThat(p.getActiveGroupCount(ext())).isEqualTo(1);
        assertThat(p.getGroupAffinity(ext(), 0)).isEqualTo(0b11L); // two processors
        assertThat(p.getGroupAffinity(ext(), 1)).isZero();
        assertThat(p.getActiveNodeCount(ext())).isEqualTo(1);
        assertThat(p.getNodeAffinity(ext(), 0)).isEqualTo(0b11L);
        assertThat(p.getHighestNodeNumber(ext())).isZero();
    }

    @Test
    void freeDeviceBaseUnmapsTheWindow() throws Exception {
        start();
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        long regs = ext().regs;
        ext().port.freeDeviceBase(ext(), regs);
        ext().port.readRegisterUlong(ext(), regs + TestController.ENABLE);
        assertThat(verifier.awaitBugCheck(VerifierRule.BAD_REGISTER_ADDRESS, 1, TimeUnit.SECONDS).detail())
                .contains("outside the windows the adapter mapped");
        ext().port.freeDeviceBase(ext(), regs);
        assertThat(verifier.awaitBugCheck(VerifierRule.BAD_DEVICE_BASE, 1, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void theMsiLockIsReachableThroughStorPortExtendedFunctionToo() throws Exception {
        TestMiniport m = new TestMiniport();
        m.interruptSync = InterruptSynchronizationMode.INTERRUPT_SYNCHRONIZE_PER_MESSAGE;
        start(m, new TestController());
        String seen = onProcessor(() -> {
            int old = (Integer) ext().port.extendedFunction(io.vhba.miniport.StorPortFunctionCode.ACQUIRE_MSI_SPIN_LOCK, ext(), 0);
            boolean held = adapter.msiLocks[0].isHeldByCurrentThread();
            ext().port.extendedFunction(io.vhba.miniport.StorPortFunctionCode.RELEASE_MSI_SPIN_LOCK, ext(), 0, old);
            return held + " " + adapter.msiLocks[0].isHeldByCurrentThread();
        });
        assertThat(seen).isEqualTo("true false");
    }

    @Test
    void buildIoRunsWithoutALockBeforeStartIoAndMayCompleteTheRequestItself() throws Exception {
        TestMiniport m = new TestMiniport();
        m.buildIo = true;
        start(m, new TestController());
        ext().events.clear();
        assertThat(read(0, 0).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(ext().events.subList(0, 2)).containsExactly("BuildIo DISPATCH_LEVEL locks=0", "StartIo DISPATCH_LEVEL locks=1");

        ext().completeInBuildIo = true;
        long startIos = adapter.counters().startIoCalls();
        long commands = device.opcodesSeen.size();
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(adapter.counters().startIoCalls()).isEqualTo(startIos);
        assertThat(device.opcodesSeen).hasSize((int) commands);
    }
}
