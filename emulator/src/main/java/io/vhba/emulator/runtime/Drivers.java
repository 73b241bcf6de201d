package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The miniport drivers and controller models on the class path (ServiceLoader), as the PnP manager would match them. */
public final class Drivers {
    private Drivers() {}

    public static List<MiniportDriver> miniports() {
        List<MiniportDriver> l = new ArrayList<>();
        ServiceLoader.load(MiniportDriver.class).forEach(l::add);
        l.sort((a, b) -> a.name().compareTo(b.name()));
        return l;
    }

    public static MiniportDriver miniport(String name) {
        List<MiniportDriver> all = miniports();
        for (MiniportDriver d : all) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new ConfigException("miniport: '" + name + "' is not one of " + all.stream().map(MiniportDriver::name).toList());
    }

    /** The controller model whose hardware ID the driver lists (an INF match), or null for a virtual miniport. */
    public static DeviceModelProvider controllerFor(MiniportDriver driver) {
        if (driver.hardwareIds().isEmpty()) {
            return null;
        }
        for (DeviceModelProvider p : ServiceLoader.load(DeviceModelProvider.class)) {
            if (driver.hardwareIds().contains(p.hardwareId())) {
                return p;
            }
        }
        throw new ConfigException("miniport: no controller model matches " + driver.name() + "'s hardware IDs " + driver.hardwareIds());
    }
}
