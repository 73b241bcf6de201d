package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.HwStorStartIo;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A miniport that throws in DriverEntry or never returns from a start-up callback gets an answer naming it. */
class StartWatchdogTest {
    private static final long LIMIT_MS = 300;

    private Kernel kernel;
    private StorportVerifier verifier;
    private StorportEngine engine;
    /** Released at the end, so a routine "hung" on it returns and its processor is free again. */
    private final CountDownLatch never = new CountDownLatch(1);

    /** A virtual miniport whose routines a test replaces. */
    private final class Scripted implements MiniportDriver {
        volatile StorPort port;
        volatile Runnable driverEntry = () -> { };
        volatile Runnable findAdapter = () -> { };
        volatile BooleanSupplier initialize = () -> true;
        volatile HwStorStartIo<Object> startIo = (e, srb) -> {
            srb.setSrbStatus(SrbStatus.SELECTION_TIMEOUT); // no target: the scan finds nothing
            port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            return true;
        };

        @Override public String name() { return "scripted"; }
        @Override public String description() { return "start watchdog test miniport"; }
        @Override public List<String> hardwareIds() { return List.of(); }

        @Override
        public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
            port = storPort;
            driverEntry.run();
            HwInitializationData<Object> data = HwInitializationData.<Object>virtualBuilder(Object::new)
                    .hwFindAdapter((e, ctx, bus, args, c) -> {
                        findAdapter.run();
                        c.setNumberOfPhysicalBreaks(16);
                        return FindAdapterStatus.SP_RETURN_FOUND;
                    })
                    .hwInitialize(e -> initialize.getAsBoolean())
                    .hwStartIo((e, srb) -> startIo.startIo(e, srb))
                    .hwResetBus((e, path) -> true)
                    .build();
            return storPort.initialize(driverObject, registryPath, data, null);
        }
    }

    @BeforeEach
    void boot() {
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        verifier = new StorportVerifier();
        engine = new StorportEngine(kernel, new HostMemory(8L << 20), new MmioBus(), verifier, EngineSettings.defaults());
        engine.setStartTimeoutMillis(LIMIT_MS);
    }

    @AfterEach
    void shutdown() {
        never.countDown();
        kernel.close();
    }

    private void hang() {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Adapter> start(Scripted m) {
        return engine.startVirtualAdapter(engine.load(m), List.of(), "scripted0");
    }

    private static String failure(CompletableFuture<Adapter> start) {
        try {
            start.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the adapter started");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DriverLoadException.class);
            return e.getCause().getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDriverEntryThatThrowsIsAMiniportExceptionAndTheLoadFails() {
        Scripted m = new Scripted();
        m.driverEntry = () -> {
            throw new IllegalStateException("no registry");
        };
        assertThatThrownBy(() -> engine.load(m)).isInstanceOf(DriverLoadException.class)
                .hasMessageStartingWith("DriverEntry of scripted threw java.lang.IllegalStateException: no registry");
        BugCheck bc = verifier.bugChecks().get(0);
        assertThat(bc.rule()).isEqualTo(VerifierRule.MINIPORT_EXCEPTION);
        assertThat(bc.routine()).isEqualTo("scripted DriverEntry");
    }

    @Test
    void aDriverEntryThatNeverReturnsIsReportedWithItsStackAfterTheStartTimeout() {
        Scripted m = new Scripted();
        m.driverEntry = this::hang;
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> engine.load(m)).isInstanceOf(DriverLoadException.class)
                .hasMessageStartingWith("DriverEntry of scripted has not returned after 300 ms; scripted DriverEntry is still in it");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
        BugCheck bc = verifier.bugChecks().get(0);
        assertThat(bc.rule()).isEqualTo(VerifierRule.ROUTINE_TOO_LONG);
        assertThat(bc.stacks().get("scripted DriverEntry")).anyMatch(f -> f.contains("StartWatchdogTest.hang"));
    }

    @Test
    void aHwInitializeThatNeverReturnsFailsTheStartNamingItWithTheStuckProcessorsStack() {
        Scripted m = new Scripted();
        m.initialize = () -> {
            hang();
            return true;
        };
        String message = failure(start(m));
        assertThat(message).startsWith("scripted0: HwStorInitialize did not return within 0.3 s; cpu0 is still in it "
                + "(bug check 0xF1/0x1002 ROUTINE_TOO_LONG)");
        BugCheck bc = verifier.bugChecks().get(0);
        assertThat(bc.rule()).isEqualTo(VerifierRule.ROUTINE_TOO_LONG);
        assertThat(bc.adapter()).isEqualTo("scripted0");
        assertThat(bc.routine()).isEqualTo("scripted0 HwStorInitialize");
        assertThat(bc.parameter3()).as("the limit, ms").isEqualTo(LIMIT_MS);
        assertThat(bc.stacks().get("cpu0")).anyMatch(f -> f.contains("StartWatchdogTest.hang"));
        assertThat(engine.adapters().get(0).state()).isEqualTo(AdapterState.FAILED);
    }

    @Test
    void aBusScanCommandTheMiniportNeverCompletesFailsTheStartNamingIt() {
        Scripted m = new Scripted();
        m.startIo = (e, srb) -> true; // accepted, never completed
        String message = failure(start(m));
        assertThat(message).startsWith("scripted0: bus scan REPORT LUNS to 0:0:0 did not return within 0.3 s");
        assertThat(verifier.bugChecks().get(0).routine()).isEqualTo("scripted0 bus scan REPORT LUNS to 0:0:0");
        Adapter a = engine.adapters().get(0);
        assertThat(a.state()).isEqualTo(AdapterState.FAILED);
        assertThat(a.counters().returned()).as("the port returned the request the miniport kept").isEqualTo(1);
    }

    @Test
    void aSlowCallbackWithinTheLimitStartsNormally() throws Exception {
        Scripted m = new Scripted();
        m.findAdapter = () -> {
            try {
                Thread.sleep(LIMIT_MS / 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Adapter a = start(m).get(10, TimeUnit.SECONDS);
        assertThat(a.state()).isEqualTo(AdapterState.RUNNING);
        Thread.sleep(LIMIT_MS * 2);
        assertThat(verifier.bugChecks()).isEmpty();
    }
}
