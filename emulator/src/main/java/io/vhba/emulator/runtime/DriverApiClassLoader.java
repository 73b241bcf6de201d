package io.vhba.emulator.runtime;

import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import java.util.List;

/**
 * The parent of every external driver's class loader: the JDK, plus the two API packages a driver
 * compiles against ({@code io.vhba.miniport...} and {@code io.vhba.hw...}), taken from the loader that
 * holds them so that a driver's {@code MiniportDriver} is the port's {@code MiniportDriver}. Everything
 * else of the emulator (its internals, Netty, the built-in samples, their service files) is hidden, as a
 * kernel exports its DDIs and hides its internals: a driver that reaches for them fails to load, naming
 * the class, instead of binding to internals that change under it.
 */
final class DriverApiClassLoader extends ClassLoader {
    /** The exported packages, from the API types themselves (sub-packages included), and the loaders holding them. */
    private static final List<Class<?>> API = List.of(MiniportDriver.class, DeviceModelProvider.class);
    private static final List<String> EXPORTED = API.stream().map(c -> c.getPackageName() + ".").toList();

    DriverApiClassLoader() {
        // parent = the platform loader: java.*, javax.*, jdk.* and nothing of the class path
        super("vhba-driver-api", ClassLoader.getPlatformClassLoader());
    }

    /** The loader of the API a class belongs to, or null when it is not exported. */
    private static ClassLoader exporter(String className) {
        for (int i = 0; i < EXPORTED.size(); i++) {
            if (className.startsWith(EXPORTED.get(i))) {
                return API.get(i).getClassLoader();
            }
        }
        return null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        ClassLoader api = exporter(name);
        if (api != null) {
            return api.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    /**
     * A driver's class loader: its jars, with this as the parent. A class it finds in neither, under
     * {@code io.vhba.}, is one the driver was not meant to see; the error says so.
     */
    static final class DriverClassLoader extends java.net.URLClassLoader {
        DriverClassLoader(String name, java.net.URL[] jars, DriverApiClassLoader parent) {
            super(name, jars, parent);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                return super.findClass(name);
            } catch (ClassNotFoundException e) {
                if (name.startsWith("io.vhba.")) {
                    throw new ClassNotFoundException(name + " is not visible to drivers (they see " + String.join(", ",
                            EXPORTED.stream().map(p -> p + "*").toList()) + " and the JDK)", e);
                }
                throw e;
            }
        }
    }
}
