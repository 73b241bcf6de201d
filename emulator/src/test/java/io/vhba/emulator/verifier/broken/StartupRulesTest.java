package io.vhba.emulator.verifier.broken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import io.vhba.emulator.storport.DriverLoadException;
import io.vhba.emulator.storport.EngineSettings;
import io.vhba.emulator.storport.StorportEngine;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.emulator.verifier.VerifierRule;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Start-up rules, each proven by a miniport that breaks it: the exact bug check, and an adapter that never starts. */
class StartupRulesTest {

    static Stream<Arguments> brokenMiniports() {
        return Stream.<Supplier<BrokenMiniport>>of(
                StartupBreakers.FindAdapterWithoutTransferLimits::new,
                StartupBreakers.FindAdapterTakesALock::new,
                StartupBreakers.UncachedExtensionInHwInitialize::new,
                StartupBreakers.InitializesDpcInHwInitialize::new,
                StartupBreakers.EnablesPassiveInitInFindAdapter::new)
                .map(s -> Arguments.of(s.get().name(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMiniports")
    void theBugCheckIsExactAndTheAdapterNeverStarts(String name, Supplier<BrokenMiniport> miniport) throws Exception {
        BrokenMiniport m = miniport.get();
        StorportVerifier verifier = new StorportVerifier();
        try (Kernel kernel = Kernel.boot(2, KernelViolationSink.THROWING)) {
            HostMemory memory = new HostMemory(8L << 20);
            MmioBus mmio = new MmioBus();
            StorportEngine engine = new StorportEngine(kernel, memory, mmio, verifier, EngineSettings.defaults());
            PciDevice pci = PciDevice.plug(new LoopbackController(), "pci0:6", mmio, memory, kernel, List.of());
            var start = engine.startAdapter(engine.load(m), pci, "broken0");
            assertThatThrownBy(() -> start.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DriverLoadException.class);

            assertThat(verifier.bugChecks()).hasSize(1);
            BugCheck bc = verifier.bugChecks().get(0);
            assertThat(bc.code()).isEqualTo(VerifierRule.SCSI_VERIFIER_DETECTED_VIOLATION);
            assertThat(bc.rule()).isEqualTo(m.rule());
            assertThat(bc.parameter1()).isEqualTo(m.rule().subCode());
            assertThat(new long[] {bc.parameter2(), bc.parameter3(), bc.parameter4()}).containsExactly(m.expectedParameters());
            assertThat(bc.routine()).isEqualTo(m.routine().equals("-") ? "-" : "broken0 " + m.routine());
            Adapter a = engine.adapters().get(0);
            assertThat(a.state()).isEqualTo(AdapterState.FAILED);
            assertThat(a.logicalUnits()).isEmpty();
        }
    }
}
