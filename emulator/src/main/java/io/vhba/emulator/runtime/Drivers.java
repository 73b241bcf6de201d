package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The miniport drivers and controller models this process can bind, as the PnP manager would match them:
 * the built-in ones on the fat jar's class path, and those of every {@code --driver} path, each package in
 * a class loader of its own ({@link DriverPackage}). Names and hardware IDs are unique across all of them.
 * Close it to release the external jars.
 */
public final class Drivers implements AutoCloseable {
    private final List<FoundProvider<MiniportDriver>> miniports;
    private final List<FoundProvider<DeviceModelProvider>> controllers;
    private final List<DriverPackage> packages;

    private Drivers(List<FoundProvider<MiniportDriver>> miniports, List<FoundProvider<DeviceModelProvider>> controllers,
                    List<DriverPackage> packages) {
        this.miniports = miniports;
        this.controllers = controllers;
        this.packages = packages;
    }

    /** The built-in drivers only. */
    public static Drivers builtIn() {
        return load(List.of());
    }

    /**
     * The built-in drivers and those of {@code paths} (jars, or directories of jars).
     *
     * @throws ConfigException one line naming the path and the problem, or the two sources of a duplicate name
     */
    public static Drivers load(List<String> paths) {
        List<FoundProvider<MiniportDriver>> m = new ArrayList<>(builtIn(MiniportDriver.class, Drivers::miniportKey));
        List<FoundProvider<DeviceModelProvider>> c = new ArrayList<>(builtIn(DeviceModelProvider.class, Drivers::controllerKey));
        List<DriverPackage> packages = new ArrayList<>();
        DriverApiClassLoader api = new DriverApiClassLoader();
        try {
            for (String p : paths) {
                DriverPackage pkg = DriverPackage.open(Path.of(p), api);
                packages.add(pkg);
                m.addAll(pkg.miniports());
                c.addAll(pkg.controllers());
            }
            unique(m, "two miniports named");
            unique(c, "two controller models with hardware ID");
        } catch (RuntimeException e) {
            packages.forEach(DriverPackage::close);
            throw e;
        }
        m.sort(Comparator.comparing(FoundProvider::key));
        return new Drivers(List.copyOf(m), List.copyOf(c), List.copyOf(packages));
    }

    private static <S> List<FoundProvider<S>> builtIn(Class<S> service, java.util.function.Function<S, String> key) {
        List<FoundProvider<S>> l = new ArrayList<>();
        try {
            // The thread's context class loader, as ServiceLoader.load(service) uses: an embedding application (a test,
            // an IDE) may add providers there; the fat jar's own loader otherwise.
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            for (S s : ServiceLoader.load(service, tccl != null ? tccl : Drivers.class.getClassLoader())) {
                l.add(new FoundProvider<>(s, key.apply(s), FoundProvider.BUILT_IN));
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigException("built-in " + service.getSimpleName() + ": " + DriverPackage.describe(e));
        }
        return l;
    }

    private static <S> void unique(List<FoundProvider<S>> all, String what) {
        Map<String, FoundProvider<S>> seen = new HashMap<>();
        for (FoundProvider<S> f : all) {
            FoundProvider<S> first = seen.putIfAbsent(f.key(), f);
            if (first != null) {
                throw new ConfigException("--driver: " + what + " '" + f.key() + "': " + first.origin() + " and " + f.origin());
            }
        }
    }

    /** A miniport's name, checked along with what else the runtime asks of it, so a broken driver fails at load. */
    static String miniportKey(MiniportDriver d) {
        String name = d.name();
        if (name == null || name.isBlank() || !name.equals(name.strip())) {
            throw new IllegalStateException(d.getClass().getName() + ".name() returned '" + name + "'");
        }
        if (d.hardwareIds() == null) {
            throw new IllegalStateException(d.getClass().getName() + ".hardwareIds() returned null");
        }
        return name;
    }

    static String controllerKey(DeviceModelProvider p) {
        String id = p.hardwareId();
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(p.getClass().getName() + ".hardwareId() returned '" + id + "'");
        }
        return id;
    }

    /**
     * Every miniport offered as a choice, by name: the built-in ones as their name, the others as "name (jar file
     * name)", for --help. A teaching-only miniport ({@code racy}) loads by name but is not offered.
     */
    public List<String> miniportNames() {
        return miniports.stream().filter(f -> !f.provider().teachingOnly()).map(f -> f.origin().equals(FoundProvider.BUILT_IN) ? f.key()
                : f.key() + " (" + Path.of(f.origin()).getFileName() + ")").toList();
    }

    /** The miniport called {@code name}. */
    public MiniportDriver miniport(String name) {
        for (FoundProvider<MiniportDriver> f : miniports) {
            if (f.key().equals(name)) {
                return f.provider();
            }
        }
        throw new ConfigException("miniport: '" + name + "' is not one of " + miniports.stream()
                .filter(f -> !f.provider().teachingOnly()).map(f -> f.origin().equals(FoundProvider.BUILT_IN) ? f.key() : f.described()).toList());
    }

    /** The controller model whose hardware ID the driver lists (an INF match), or null for a virtual miniport. */
    public DeviceModelProvider controllerFor(MiniportDriver driver) {
        if (driver.hardwareIds().isEmpty()) {
            return null;
        }
        for (FoundProvider<DeviceModelProvider> f : controllers) {
            if (driver.hardwareIds().contains(f.key())) {
                return f.provider();
            }
        }
        throw new ConfigException("miniport: no controller model matches " + driver.name() + "'s hardware IDs "
                + driver.hardwareIds());
    }

    /** Where the driver called {@code name} came from: {@code built-in} or its jar. */
    public String origin(String name) {
        return miniports.stream().filter(f -> f.key().equals(name)).map(FoundProvider::origin).findFirst().orElse(null);
    }

    @Override
    public void close() {
        packages.forEach(DriverPackage::close);
    }
}
