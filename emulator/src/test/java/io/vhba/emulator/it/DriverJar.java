package io.vhba.emulator.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Writes an external driver jar for tests: every class of some packages (taken from wherever those classes
 * were compiled to, a directory or a jar) plus {@code META-INF/services} entries, as a driver author's
 * build would produce it.
 */
public final class DriverJar {
    /**
     * The samples' shared packages: an author's jar that reuses a sample ships them too, since a driver's
     * class loader sees only the miniport API and the hardware SPI of the host (no other host classes).
     */
    private static final Class<?> SAMPLES_COMMON = io.vhba.samples.common.StartIoFunctions.class;
    private static final Class<?> SAMPLES_COMMON_HW = io.vhba.samples.common.hw.DeviceStatistics.class;

    private DriverJar() {}

    /**
     * @param services service interface name -> provider class names
     * @param packagesOf one class of each package to include (its whole package, not sub-packages)
     */
    public static Path write(Path jar, Map<String, List<String>> services, Class<?>... packagesOf) {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> c : packagesOf) {
                copyPackage(c, out);
            }
            for (Map.Entry<String, List<String>> e : services.entrySet()) {
                out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
                out.write((String.join("\n", e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jar;
    }

    private static void copyPackage(Class<?> c, JarOutputStream out) throws IOException {
        String dir = c.getPackageName().replace('.', '/') + "/";
        Path where;
        try {
            where = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        if (Files.isDirectory(where)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(where.resolve(dir))) {
                files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
            for (Path f : files) {
                add(out, dir + f.getFileName(), Files.newInputStream(f));
            }
            return;
        }
        try (JarFile j = new JarFile(where.toFile())) {
            List<JarEntry> entries = new ArrayList<>();
            for (Enumeration<JarEntry> en = j.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String rest = e.getName().startsWith(dir) ? e.getName().substring(dir.length()) : null;
                if (rest != null && rest.endsWith(".class") && !rest.contains("/")) {
                    entries.add(e);
                }
            }
            for (JarEntry e : entries) {
                add(out, e.getName(), j.getInputStream(e));
            }
        }
    }

    private static void add(JarOutputStream out, String name, InputStream in) throws IOException {
        try (in) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** The misbehaving miniports of {@code io.vhba.emulator.it.misbehaving} with the virtual sample they wrap. */
    public static Path misbehaving(Path jar) {
        List<String> providers = Stream.of(io.vhba.emulator.it.misbehaving.ThrowsInFindAdapter.class,
                io.vhba.emulator.it.misbehaving.HangsInFindAdapter.class,
                io.vhba.emulator.it.misbehaving.HangsInFindAdapterForever.class,
                io.vhba.emulator.it.misbehaving.ThrowsInStartIo.class,
                io.vhba.emulator.it.misbehaving.HangsInDpc.class).map(Class::getName).toList();
        return write(jar, Map.of(io.vhba.miniport.MiniportDriver.class.getName(), providers),
                io.vhba.emulator.it.misbehaving.MisbehavingMiniport.class, io.vhba.samples.virtual.VirtualMiniport.class,
                SAMPLES_COMMON, SAMPLES_COMMON_HW);
    }

    /** A physical miniport and its controller model in one jar: the mailbox sample, rebadged. */
    public static Path rebadged(Path jar) {
        return write(jar, Map.of(io.vhba.miniport.MiniportDriver.class.getName(),
                        List.of(io.vhba.emulator.it.rebadged.RebadgedMailbox.class.getName()),
                        io.vhba.hw.DeviceModelProvider.class.getName(),
                        List.of(io.vhba.emulator.it.rebadged.RebadgedMailboxController.class.getName())),
                io.vhba.emulator.it.rebadged.RebadgedMailbox.class, io.vhba.samples.mailbox.MailboxMiniport.class,
                io.vhba.samples.mailbox.hw.MailboxControllerProvider.class, SAMPLES_COMMON, SAMPLES_COMMON_HW);
    }
}
