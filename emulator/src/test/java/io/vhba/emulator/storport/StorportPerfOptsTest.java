package io.vhba.emulator.storport;

import static io.vhba.miniport.StorPerf.STOR_PERF_ADV_CONFIG_LOCALITY;
import static io.vhba.miniport.StorPerf.STOR_PERF_CONCURRENT_CHANNELS;
import static io.vhba.miniport.StorPerf.STOR_PERF_DPC_REDIRECTION;
import static io.vhba.miniport.StorPerf.STOR_PERF_DPC_REDIRECTION_CURRENT_CPU;
import static io.vhba.miniport.StorPerf.STOR_PERF_INTERRUPT_MESSAGE_RANGES;
import static io.vhba.miniport.StorPerf.STOR_PERF_NO_SGL;
import static io.vhba.miniport.StorStatus.STOR_STATUS_INVALID_PARAMETER;
import static io.vhba.miniport.StorStatus.STOR_STATUS_SUCCESS;
import static io.vhba.miniport.StorStatus.STOR_STATUS_UNSUCCESSFUL;
import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.verifier.VerifierPolicy;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.GroupAffinity;
import io.vhba.miniport.PerfConfigurationData;
import io.vhba.miniport.SpinLockType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StartIoPerformanceParameters;
import io.vhba.miniport.StorLockHandle;
import io.vhba.miniport.StorPerf;
import io.vhba.miniport.SynchronizationModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * StorPortInitializePerfOpts and StorPortGetStartIoPerfParams: the query, the set and its rules,
 * and what each optimisation changes (PERF_CONFIGURATION_DATA, storport.h).
 */
class StorportPerfOptsTest extends EngineFixture {
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private static PerfConfigurationData data(int version, int flags) {
        PerfConfigurationData d = PerfConfigurationData.current();
        d.setVersion(version);
        d.setFlags(flags);
        return d;
    }

    private static int set(TestMiniport.Ext e, PerfConfigurationData d) {
        return e.port.initializePerfOpts(e, false, d);
    }

    @Test
    void theQueryOffersTheFlagsOfTheVersionAndASetIsCheckedAgainstTheRules() throws Exception {
        List<Integer> offered = new CopyOnWriteArrayList<>();
        List<Integer> refused = new CopyOnWriteArrayList<>();
        TestMiniport m = new TestMiniport();
        m.hwInitializeHook = e -> {
            for (int v = StorPerf.STOR_PERF_VERSION_2; v <= StorPerf.STOR_PERF_VERSION; v++) {
                PerfConfigurationData q = data(v, 0);
                assertThat(e.port.initializePerfOpts(e, true, q)).isEqualTo(STOR_STATUS_SUCCESS);
                offered.add(q.getFlags());
            }
            refused.add(set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_NO_SGL)));           // not offered
            refused.add(set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_INTERRUPT_MESSAGE_RANGES))); // needs redirection
            refused.add(set(e, data(StorPerf.STOR_PERF_VERSION_3,                                  // a version 4 flag
                    STOR_PERF_DPC_REDIRECTION | STOR_PERF_DPC_REDIRECTION_CURRENT_CPU)));
            PerfConfigurationData small = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION);
            small.setSize(PerfConfigurationData.SIZE - 8);
            refused.add(set(e, small));
            refused.add(set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_CONCURRENT_CHANNELS))); // zero channels
            PerfConfigurationData range = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION | STOR_PERF_INTERRUPT_MESSAGE_RANGES);
            range.setLastRedirectionMessageNumber(1); // the device has one message
            refused.add(set(e, range));
            refused.add(set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION
                    | STOR_PERF_INTERRUPT_MESSAGE_RANGES | STOR_PERF_ADV_CONFIG_LOCALITY))); // no MessageTargets array
        };
        m.passiveInitializeHook = e -> seen.add("passive set " + set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION)));
        start(m, new TestController());

        assertThat(offered).containsExactly(0x07, 0x1F, 0x3F, 0x3F);
        assertThat(refused).containsExactly(STOR_STATUS_UNSUCCESSFUL, STOR_STATUS_UNSUCCESSFUL, STOR_STATUS_UNSUCCESSFUL,
                STOR_STATUS_INVALID_PARAMETER, STOR_STATUS_INVALID_PARAMETER, STOR_STATUS_INVALID_PARAMETER,
                STOR_STATUS_INVALID_PARAMETER);
        assertThat(seen).containsExactly("passive set " + STOR_STATUS_SUCCESS);
        assertThat(adapter.perfOpts.settings().flags()).isEqualTo(STOR_PERF_DPC_REDIRECTION);
        // once the adapter runs, the routine is refused and changes nothing
        int late = onProcessor(() -> set(ext(), data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION | STOR_PERF_CONCURRENT_CHANNELS)));
        assertThat(late).isEqualTo(STOR_STATUS_UNSUCCESSFUL);
        assertThat(adapter.perfOpts.settings().flags()).isEqualTo(STOR_PERF_DPC_REDIRECTION);
        assertThat(verifier.bugChecks()).isEmpty();
    }

    @Test
    void aNullPerfConfigDataIsTheSdvRuleStorPortPerfOpts() throws Exception {
        start();
        verifier.setPolicy(VerifierPolicy.LOG_ONLY);
        int status = onProcessor(() -> ext().port.initializePerfOpts(ext(), true, null));
        assertThat(status).isEqualTo(STOR_STATUS_INVALID_PARAMETER);
        assertThat(verifier.awaitBugCheck(VerifierRule.PERF_OPTS_WITHOUT_DATA, 1, TimeUnit.SECONDS)).isNotNull();
    }

    /**
     * Two requests issued at once on the two processors: with two channels both StartIo calls are inside the miniport
     * together, with no port lock; with one channel the second waits for the first (the barrier times out alone).
     */
    @ParameterizedTest
    @CsvSource({"2, met, 0", "1, alone, 1"})
    void concurrentChannelsRunThatManyStartIoCallsAtOnceWithoutTheStartIoLock(int channels, String meeting, int portLocks)
            throws Exception {
        TestMiniport m = new TestMiniport();
        m.guardStartIo = true; // the miniport's own lock around its slots: the StartIo lock, legal here now
        m.hwInitializeHook = e -> {
            PerfConfigurationData d = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_CONCURRENT_CHANNELS);
            d.setConcurrentChannels(channels);
            assertThat(set(e, d)).isEqualTo(STOR_STATUS_SUCCESS);
        };
        start(m, new TestController());
        assertThat(adapter.startIoModel()).isEqualTo(SynchronizationModel.CONCURRENT_CHANNELS);
        CyclicBarrier both = new CyclicBarrier(2);
        m.startIoHook = (e, srb) -> {
            seen.add("startIoLock=" + adapter.startIoLock.isHeldByCurrentThread() + " held=" + KThreadState.current().heldLocks().size());
            try {
                both.await(1, TimeUnit.SECONDS);
                seen.add("met");
            } catch (Exception timedOut) {
                seen.add("alone");
            }
        };
        var first = io(0, 0x28, 1, memory.allocate(512), 0);
        var second = io(1, 0x28, 2, memory.allocate(512), 1);
        assertThat(first.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(second.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(seen).filteredOn(s -> s.startsWith("startIoLock")).containsExactly(
                "startIoLock=false held=" + portLocks, "startIoLock=false held=" + portLocks);
        assertThat(seen).filteredOn(s -> !s.startsWith("startIoLock")).containsExactly(meeting, meeting);
        assertThat(verifier.bugChecks()).as("the StartIo lock taken by a concurrent StartIo is legal").isEmpty();
    }

    private TestMiniport concurrentMiniport() {
        TestMiniport m = new TestMiniport();
        m.hwInitializeHook = e -> {
            PerfConfigurationData d = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_CONCURRENT_CHANNELS);
            d.setConcurrentChannels(2);
            assertThat(set(e, d)).isEqualTo(STOR_STATUS_SUCCESS);
        };
        return m;
    }

    /** No StartIo lock does not mean no rules: StartIo still runs at DISPATCH_LEVEL, and completing twice is still 0x2004. */
    @Test
    void theVerifierStillChecksIrqlAndCompletionRulesInAConcurrentStartIo() throws Exception {
        TestMiniport m = concurrentMiniport();
        start(m, new TestController());
        m.startIoHook = (e, srb) -> seen.add(Irql.name(KThreadState.current().irql()));
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(seen).containsExactly("DISPATCH_LEVEL");
        ext().completeTwice = true;
        read(0, 2);
        assertThat(verifier.awaitBugCheck(VerifierRule.DOUBLE_COMPLETION, 5, TimeUnit.SECONDS)).isNotNull();
    }

    /** The locks a concurrent StartIo takes for itself are order-checked like any other: interrupt lock, then StartIo lock, is 0x300C. */
    @Test
    void theLocksAConcurrentStartIoTakesAreStillOrderChecked() throws Exception {
        TestMiniport m = concurrentMiniport();
        start(m, new TestController());
        m.startIoHook = (e, srb) -> {
            StorLockHandle outer = new StorLockHandle();
            StorLockHandle inner = new StorLockHandle();
            e.port.acquireSpinLock(e, SpinLockType.INTERRUPT_LOCK, null, outer);
            try {
                e.port.acquireSpinLock(e, SpinLockType.START_IO_LOCK, null, inner);
                e.port.releaseSpinLock(e, inner);
            } finally {
                e.port.releaseSpinLock(e, outer);
            }
        };
        read(0, 1);
        assertThat(verifier.awaitBugCheck(VerifierRule.SPIN_LOCK_ORDER, 5, TimeUnit.SECONDS)).isNotNull();
    }

    /** The interrupt (and the miniport's DPC) land on processor 1 for a request issued on processor 0. */
    @ParameterizedTest
    @CsvSource({"0, 1", "1, 0", "33, 1"})
    void dpcRedirectionReturnsTheRequestOnTheIssuingProcessor(int flags, int expectedProcessor) throws Exception {
        TestMiniport m = new TestMiniport();
        if (flags != 0) {
            m.hwInitializeHook = e -> assertThat(set(e, data(StorPerf.STOR_PERF_VERSION, flags))).isEqualTo(STOR_STATUS_SUCCESS);
        }
        TestController twoMessages = new TestController(2);
        twoMessages.completionMessage = 1; // MSI-X message 1 is aimed at processor 1
        start(m, twoMessages);
        Done d = io(0, 0x28, 3, memory.allocate(512), 0).get(5, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(d.processor()).isEqualTo(expectedProcessor);
    }

    @Test
    void startIoParametersNameTheMessageAndChannelOfTheIssuingProcessor() throws Exception {
        GroupAffinity[] targets = new GroupAffinity[2];
        TestMiniport m = new TestMiniport();
        m.guardStartIo = true;
        m.hwInitializeHook = e -> {
            PerfConfigurationData d = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION | STOR_PERF_CONCURRENT_CHANNELS
                    | STOR_PERF_INTERRUPT_MESSAGE_RANGES | STOR_PERF_ADV_CONFIG_LOCALITY);
            d.setConcurrentChannels(2);
            d.setFirstRedirectionMessageNumber(0);
            d.setLastRedirectionMessageNumber(1);
            d.setMessageTargets(targets);
            d.setDeviceNode(7);
            assertThat(set(e, d)).isEqualTo(STOR_STATUS_SUCCESS);
            assertThat(d.getDeviceNode()).isZero();
        };
        start(m, new TestController(2));
        assertThat(targets).containsExactly(new GroupAffinity(1, 0), new GroupAffinity(2, 0));
        m.startIoHook = (e, srb) -> {
            StartIoPerformanceParameters p = StartIoPerformanceParameters.sized();
            int status = e.port.getStartIoPerfParams(e, srb, p);
            StartIoPerformanceParameters tooSmall = new StartIoPerformanceParameters();
            tooSmall.setSize(8);
            seen.add("cpu" + e.port.getCurrentProcessorNumber(e) + " status=" + status + " version=" + p.getVersion()
                    + " message=" + p.getMessageNumber() + " channel=" + p.getChannelNumber()
                    + " small=" + (e.port.getStartIoPerfParams(e, srb, tooSmall) == STOR_STATUS_INVALID_PARAMETER)
                    + " null=" + (e.port.getStartIoPerfParams(e, srb, null) == STOR_STATUS_INVALID_PARAMETER));
        };
        assertThat(io(0, 0x28, 1, memory.allocate(512), 0).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(io(0, 0x28, 2, memory.allocate(512), 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(seen).containsExactly(
                "cpu0 status=0 version=1 message=0 channel=0 small=true null=true",
                "cpu1 status=0 version=1 message=1 channel=1 small=true null=true");
    }

    @Test
    void aHalfDuplexAdapterKeepsItsInterruptLockAroundStartIo() throws Exception {
        TestMiniport m = new TestMiniport();
        m.mode = SynchronizationModel.HALF_DUPLEX;
        m.lineInterrupt = true;
        m.hwInitializeHook = e -> {
            PerfConfigurationData d = data(StorPerf.STOR_PERF_VERSION, STOR_PERF_CONCURRENT_CHANNELS);
            d.setConcurrentChannels(2);
            seen.add("channels " + set(e, d));
            seen.add("redirection " + set(e, data(StorPerf.STOR_PERF_VERSION, STOR_PERF_DPC_REDIRECTION)));
        };
        start(m, new TestController(true));
        assertThat(seen).containsExactly("channels " + STOR_STATUS_UNSUCCESSFUL, "redirection " + STOR_STATUS_SUCCESS);
        assertThat(adapter.startIoModel()).isEqualTo(SynchronizationModel.HALF_DUPLEX);
        assertThat(read(0, 4).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }
}
