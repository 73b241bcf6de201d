package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.platform.PciDevice;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A physical miniport and the controller model it binds to, both from one external jar: the runtime
 * plugs the jar's controller (matched by hardware ID, as an INF match), and I/O goes through its
 * registers and DMA.
 */
class ExternalControllerIT {
    @TempDir
    Path dir;

    @Test
    void theJarsControllerIsPluggedAndCarriesTheIo() throws Exception {
        Path jar = DriverJar.rebadged(dir.resolve("rebadged.jar"));
        VhbaConfig config = VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("256M")
                .miniport("rebadged-mailbox").controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30)
                .verifier(true).nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(TestTarget.IQN, "rebadged", null,
                        List.of(new LunConfig(0, "64M", 512, false, true, false, null)), false)))
                .drivers(List.of(jar.toString())).build();
        try (TestTarget target = TestTarget.start(config); WireInitiator w = new WireInitiator(target.port())) {
            PciDevice device = target.device();
            assertThat(device.model().getClass().getClassLoader().getName()).isEqualTo("driver rebadged.jar");
            assertThat(target.adapter().name()).isEqualTo("rebadged-mailbox0");
            w.login("iqn.2026-11.io.vhba.test:initiator", TestTarget.IQN);
            byte[] data = new byte[8192];
            new Random(12).nextBytes(data);
            byte[] write = WireInitiator.read10(100, 16);
            write[0] = 0x2A;
            long doorbells = device.model().statistics().get("doorbells");
            assertThat(w.command(write, data, 0).status()).isZero();
            WireInitiator.Answer back = w.command(WireInitiator.read10(100, 16), null, data.length);
            assertThat(back.status()).isZero();
            assertThat(back.data()).isEqualTo(data);
            assertThat(device.model().statistics().get("doorbells") - doorbells).as("both went through the jar's controller")
                    .isGreaterThanOrEqualTo(2);
            assertThat(target.vhba().engine().verifier().bugChecks()).isEmpty();
        }
    }
}
