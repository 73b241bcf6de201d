package io.vhba.emulator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.it.DriverJar;
import io.vhba.emulator.runtime.baddrivers.Fine;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.Srb;
import io.vhba.samples.virtual.VirtualMiniport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --driver}: external jars in class loaders of their own, and one clear line for each way they go wrong. */
class DriversTest {
    private static final String SERVICE = MiniportDriver.class.getName();

    @TempDir
    Path dir;

    private Path badDrivers(String name, Class<?>... providers) {
        return DriverJar.write(dir.resolve(name), Map.of(SERVICE, java.util.Arrays.stream(providers).map(Class::getName).toList()),
                Fine.class);
    }

    private static String error(List<String> paths) {
        try (Drivers d = Drivers.load(paths)) {
            throw new AssertionError("loaded " + d.miniportNames());
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    @Test
    void anExternalJarAddsItsMiniportsInALoaderThatSeesOnlyTheApiAndTheJdk() throws Exception {
        Path jar = DriverJar.misbehaving(dir.resolve("misbehaving.jar"));
        try (Drivers d = Drivers.load(List.of(jar.toString()))) {
            assertThat(d.miniportNames()).contains("mailbox", "virtual", "hang-dpc (misbehaving.jar)", "throw-start-io (misbehaving.jar)");
            assertThat(d.origin("hang-dpc")).isEqualTo(jar.toString());
            assertThat(d.origin("mailbox")).isEqualTo("built-in");
            MiniportDriver external = d.miniport("hang-dpc");
            ClassLoader loader = external.getClass().getClassLoader();
            assertThat(loader).isNotSameAs(getClass().getClassLoader());
            assertThat(loader.getName()).isEqualTo("driver misbehaving.jar");
            // the API is the port's own: one MiniportDriver, one Srb
            assertThat(loader.loadClass(SERVICE)).isSameAs(MiniportDriver.class);
            assertThat(loader.loadClass(Srb.class.getName())).isSameAs(Srb.class);
            // the sample the jar carries is its own copy, not the built-in one
            assertThat(loader.loadClass(VirtualMiniport.class.getName())).isNotSameAs(VirtualMiniport.class);
            // and nothing else of the emulator's class path is visible
            assertThatThrownBy(() -> Class.forName("io.netty.channel.Channel", false, loader)).isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName(Vhba.class.getName(), false, loader))
                    .isInstanceOf(ClassNotFoundException.class).hasMessageContaining("is not visible to drivers");
            assertThat(loader.getResource("logback-test.xml")).as("the class path's resources are hidden").isNull();
        }
    }

    @Test
    void aDirectoryLoadsAllItsJarsTogetherAndNamesTheJarEachMiniportCameFrom() throws Exception {
        Path d = Files.createDirectory(dir.resolve("drivers"));
        Path jar = DriverJar.misbehaving(d.resolve("a-misbehaving.jar"));
        DriverJar.write(d.resolve("b-library.jar"), Map.of(), Fine.class); // a dependency: no service entry of its own
        Files.writeString(d.resolve("README.txt"), "not a jar, not looked at");
        try (Drivers drivers = Drivers.load(List.of(d.toString()))) {
            assertThat(drivers.origin("throw-find-adapter")).isEqualTo(jar.toString());
        }
    }

    @Test
    void anUnknownMiniportIsRefusedWithEveryNameIncludingTheExternalOnes() {
        Path jar = DriverJar.misbehaving(dir.resolve("m.jar"));
        try (Drivers d = Drivers.load(List.of(jar.toString()))) {
            assertThatThrownBy(() -> d.miniport("nvme")).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("miniport: 'nvme' is not one of [")
                    .hasMessageContaining("mailbox").hasMessageContaining("hang-dpc (" + jar + ")");
        }
    }

    @Test
    void aMissingPathIsOneLineNamingIt() {
        assertThat(error(List.of(dir.resolve("nope.jar").toString()))).isEqualTo("--driver " + dir.resolve("nope.jar")
                + ": no such file or directory");
    }

    @Test
    void aFileThatIsNotAJarIsOneLineNamingIt() throws Exception {
        Path txt = Files.writeString(dir.resolve("driver.jar"), "hello");
        assertThat(error(List.of(txt.toString()))).startsWith("--driver " + txt + ": not a jar (");
    }

    @Test
    void aJarWithoutAServiceEntryIsRefused() {
        Path jar = DriverJar.write(dir.resolve("lib.jar"), Map.of(), Fine.class);
        assertThat(error(List.of(jar.toString()))).isEqualTo("--driver " + jar + ": no META-INF/services/"
                + SERVICE + " or META-INF/services/io.vhba.hw.DeviceModelProvider entry");
    }

    @Test
    void aDirectoryWithoutJarsIsRefused() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(error(List.of(empty.toString()))).isEqualTo("--driver " + empty + ": the directory holds no *.jar");
    }

    @Test
    void aProviderClassThatIsNotInTheJarIsNamed() {
        Path jar = DriverJar.write(dir.resolve("ghost.jar"), Map.of(SERVICE, List.of("com.example.Ghost")), Fine.class);
        assertThat(error(List.of(jar.toString()))).startsWith("--driver " + jar + ": MiniportDriver provider failed to load: ")
                .contains("com.example.Ghost not found");
    }

    @Test
    void aDriverThatReachesIntoTheEmulatorFailsToLoadNamingTheHiddenClass() {
        Path jar = badDrivers("reach.jar", io.vhba.emulator.runtime.baddrivers.ReachesIntoTheEmulator.class);
        assertThat(error(List.of(jar.toString()))).startsWith("--driver " + jar + ": MiniportDriver provider failed to load: ")
                .contains("io.vhba.emulator.kernel.Irql is not visible to drivers (they see io.vhba.miniport.*, io.vhba.hw.* and the JDK)");
    }

    @Test
    void aDriverWhoseNameThrowsIsRefusedAtLoad() {
        Path jar = badDrivers("nameless.jar", io.vhba.emulator.runtime.baddrivers.NameThrows.class);
        assertThat(error(List.of(jar.toString()))).contains("UnsupportedOperationException: no name today");
    }

    @Test
    void twoDriversWithOneNameAreRefusedNamingBothSources() {
        Path one = DriverJar.misbehaving(dir.resolve("one.jar"));
        Path two = DriverJar.misbehaving(dir.resolve("two.jar"));
        assertThat(error(List.of(one.toString(), two.toString()))).startsWith("--driver: two miniports named '")
                .endsWith("': " + one + " and " + two);
        Path mailbox = badDrivers("mailbox.jar", io.vhba.emulator.runtime.baddrivers.CalledMailbox.class);
        assertThat(error(List.of(mailbox.toString()))).isEqualTo("--driver: two miniports named 'mailbox': built-in and " + mailbox);
    }

    @Test
    void aPhysicalMiniportBindsToTheControllerModelItsJarProvides() {
        Path jar = DriverJar.rebadged(dir.resolve("rebadged.jar"));
        try (Drivers d = Drivers.load(List.of(jar.toString()))) {
            MiniportDriver m = d.miniport("rebadged-mailbox");
            io.vhba.hw.DeviceModelProvider controller = d.controllerFor(m);
            assertThat(controller.hardwareId()).isEqualTo("PCI\\VEN_5648&DEV_00EE");
            assertThat(controller.getClass().getClassLoader()).isSameAs(m.getClass().getClassLoader());
        }
    }

    @Test
    void twoControllerModelsWithOneHardwareIdAreRefusedNamingBothSources() {
        Path jar = DriverJar.write(dir.resolve("mailbox-hw.jar"), Map.of(io.vhba.hw.DeviceModelProvider.class.getName(),
                List.of(io.vhba.samples.mailbox.hw.MailboxControllerProvider.class.getName())),
                io.vhba.samples.mailbox.hw.MailboxControllerProvider.class);
        assertThat(error(List.of(jar.toString()))).isEqualTo("--driver: two controller models with hardware ID "
                + "'PCI\\VEN_5648&DEV_0001': built-in and " + jar);
    }

    @Test
    void theBuiltInDriversAloneAreTheSamples() {
        try (Drivers d = Drivers.builtIn()) {
            assertThat(d.miniportNames()).containsExactly("halfduplex", "mailbox", "ring", "virtual");
            assertThat(d.controllerFor(d.miniport("virtual"))).isNull();
            assertThat(d.controllerFor(d.miniport("mailbox"))).isNotNull();
        }
    }
}
