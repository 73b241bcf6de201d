package io.vhba.emulator.runtime;

import io.vhba.emulator.config.ConfigException;
import io.vhba.hw.DeviceModelProvider;
import io.vhba.miniport.MiniportDriver;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * One {@code --driver PATH}: a jar, or a directory whose {@code *.jar} are loaded together, in a class
 * loader of its own whose parent is {@link DriverApiClassLoader}. Its miniports and controller models are
 * found through the same ServiceLoader contracts as the built-in ones. Every problem is one line naming
 * the path (a ConfigException), and nothing stays open after one.
 */
final class DriverPackage implements AutoCloseable {
    private static final List<String> SERVICE_ENTRIES = List.of("META-INF/services/" + MiniportDriver.class.getName(),
            "META-INF/services/" + DeviceModelProvider.class.getName());

    private final Path path;
    private final URLClassLoader loader;
    private final List<FoundProvider<MiniportDriver>> miniports;
    private final List<FoundProvider<DeviceModelProvider>> controllers;

    private DriverPackage(Path path, URLClassLoader loader, List<FoundProvider<MiniportDriver>> miniports,
                          List<FoundProvider<DeviceModelProvider>> controllers) {
        this.path = path;
        this.loader = loader;
        this.miniports = miniports;
        this.controllers = controllers;
    }

    /** Opens {@code path}, loads and instantiates every provider it declares. */
    static DriverPackage open(Path path, DriverApiClassLoader parent) {
        List<Path> jars = jars(path);
        boolean declares = false;
        for (Path jar : jars) {
            declares |= declaresProviders(path, jar);
        }
        if (!declares) {
            throw new ConfigException("--driver " + path + ": no " + SERVICE_ENTRIES.get(0) + " or " + SERVICE_ENTRIES.get(1)
                    + " entry" + (Files.isDirectory(path) ? " in any jar of the directory" : ""));
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new ConfigException("--driver " + jars.get(i) + ": " + e.getMessage());
            }
        }
        URLClassLoader loader = new DriverApiClassLoader.DriverClassLoader("driver " + path.getFileName(), urls, parent);
        try {
            List<FoundProvider<MiniportDriver>> m = instantiate(path, MiniportDriver.class, loader, Drivers::miniportKey);
            List<FoundProvider<DeviceModelProvider>> c = instantiate(path, DeviceModelProvider.class, loader,
                    Drivers::controllerKey);
            return new DriverPackage(path, loader, m, c);
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    /** The jar itself, or every {@code *.jar} of the directory in name order. */
    private static List<Path> jars(Path path) {
        if (!Files.exists(path)) {
            throw new ConfigException("--driver " + path + ": no such file or directory");
        }
        if (Files.isRegularFile(path)) {
            return List.of(path.toAbsolutePath());
        }
        if (!Files.isDirectory(path)) {
            throw new ConfigException("--driver " + path + ": neither a jar nor a directory");
        }
        try (Stream<Path> s = Files.list(path)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .map(Path::toAbsolutePath).sorted().toList();
            if (l.isEmpty()) {
                throw new ConfigException("--driver " + path + ": the directory holds no *.jar");
            }
            return l;
        } catch (IOException e) {
            throw new ConfigException("--driver " + path + ": cannot list the directory: " + e.getMessage());
        }
    }

    private static boolean declaresProviders(Path arg, Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            for (String entry : SERVICE_ENTRIES) {
                if (f.getEntry(entry) != null) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new ConfigException("--driver " + (arg.equals(jar) || Files.isRegularFile(arg) ? arg : jar)
                    + ": not a jar (" + e.getMessage() + ")");
        }
    }

    /**
     * Instantiates every provider of {@code service} the package declares (its own service files only: the
     * parent hides the class path's). A provider that cannot be found, linked or constructed, or whose
     * {@code key} (its name, which a driver that throws there fails here rather than at bind time) fails, is
     * one line naming the class and the root cause.
     */
    private static <S> List<FoundProvider<S>> instantiate(Path arg, Class<S> service, ClassLoader loader,
                                                          Function<S, String> key) {
        List<FoundProvider<S>> found = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<S> p : ServiceLoader.load(service, loader).stream().toList()) {
                S s = p.get();
                found.add(new FoundProvider<>(s, key.apply(s), origin(arg, s.getClass())));
            }
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("--driver " + arg + ": " + service.getSimpleName() + " provider failed to load: "
                    + describe(e));
        }
        return found;
    }

    /** The jar a provider class came from (for a directory, which of its jars), as the user would name it. */
    private static String origin(Path arg, Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs != null && cs.getLocation() != null && Files.isDirectory(arg)) {
            try {
                return Path.of(cs.getLocation().toURI()).toString();
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                return arg.toString();
            }
        }
        return arg.toString();
    }

    /** The message and every distinct cause on one line: ServiceLoader's own words, then what went wrong inside. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
            if (b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : "; caused by ").append(m);
            }
        }
        return b.toString().replace('\n', ' ');
    }

    Path path() {
        return path;
    }

    List<FoundProvider<MiniportDriver>> miniports() {
        return miniports;
    }

    List<FoundProvider<DeviceModelProvider>> controllers() {
        return controllers;
    }

    @Override
    public void close() {
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader l) {
        try {
            l.close();
        } catch (IOException ignored) {
            // only open jar handles are released here; nothing to report
        }
    }
}
