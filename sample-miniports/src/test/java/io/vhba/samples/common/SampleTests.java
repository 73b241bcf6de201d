package io.vhba.samples.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ControllerOptions;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import java.util.ServiceLoader;

/** Small checks and helpers the physical samples' miniport tests share. */
public final class SampleTests {
    private SampleTests() {}

    /** {@code n} bytes of {@code b} from {@code offset}. */
    public static byte[] read(MemoryBuffer b, int offset, int n) {
        byte[] out = new byte[n];
        b.get(offset, out, 0, n);
        return out;
    }

    /**
     * The driver {@code name} and a controller are both found through ServiceLoader
     * ({@code io.vhba.miniport.MiniportDriver}, {@code io.vhba.hw.DeviceModelProvider}) under the
     * one hardware ID {@code hardwareId}, as the emulator pairs them.
     */
    public static void assertBothHalvesFound(String name, String hardwareId) {
        MiniportDriver driver = ServiceLoader.load(MiniportDriver.class).stream().map(ServiceLoader.Provider::get)
                .filter(d -> d.name().equals(name)).findFirst().orElseThrow();
        DeviceModelProvider device = ServiceLoader.load(DeviceModelProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> driver.hardwareIds().contains(p.hardwareId())).findFirst().orElseThrow();
        assertThat(driver.hardwareIds()).containsExactly(hardwareId);
        assertThat(device.create(ControllerOptions.inline(4)).hardwareId()).isEqualTo(hardwareId);
    }
}
