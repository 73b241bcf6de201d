package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vhba.emulator.cli.Main;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.it.misbehaving.MisbehavingMiniport;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterState;
import io.vhba.emulator.verifier.BugCheck;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.scsi.SenseKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Miniports that throw or hang, loaded with {@code --driver} (the test ships them in a jar, as an author
 * would): each gets a bug check or a one-line error naming the callback, {@code serve} exits 2 quickly
 * instead of hanging, and the adapters and targets that did nothing wrong keep serving.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MisbehavingMiniportIT {
    private static final String A = "iqn.2026-11.io.vhba.test:a";
    private static final String B = "iqn.2026-11.io.vhba.test:b";
    private static final String INITIATOR = "iqn.2026-11.io.vhba.test:initiator";

    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void writeTheDriverJar() {
        jar = DriverJar.misbehaving(dir.resolve("misbehaving.jar"));
    }

    /** Targets A and B, one adapter each of {@code miniport}, 2 processors, 1 s start and DPC watchdogs. */
    private static VhbaConfig twoTargets(String miniport) {
        List<LunConfig> lun = List.of(new LunConfig(0, "64M", 512, false, true, false, null));
        return VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("256M").miniport(miniport)
                .controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30).verifier(true).nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(A, "a", null, lun, false), new TargetConfig(B, "b", null, lun, false)))
                .drivers(List.of(jar.toString())).startTimeoutSeconds(1).dpcWatchdogSeconds(1).build();
    }

    private record Run(int code, List<String> errors, long millis) {}

    /** {@code serve} in this JVM: the exit code and the lines it printed as "vhba: ..." (logs go elsewhere). */
    private static Run serve(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setErr(saved);
        }
        return new Run(code, err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("vhba:")).toList(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private static Run serveWith(String miniport) {
        return serve("serve", "--listen", "127.0.0.1:0", "--processors", "2", "--size", "64M", "--start-timeout", "1",
                "--driver", jar.toString(), "--miniport", miniport);
    }

    @Test
    void aMiniportThatThrowsInFindAdapterMakesServeExit2WithOneLineNamingTheCallback() {
        Run r = serveWith("throw-find-adapter");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("vhba: error: miniport throw-find-adapter: adapter throw-find-adapter0 did not start: ")
                .contains("HwStorFindAdapter threw java.lang.IllegalStateException: planted: FindAdapter fails")
                .contains("MINIPORT_EXCEPTION"));
    }

    @Test
    void aMiniportThatNeverReturnsFromFindAdapterMakesServeExit2AfterTheStartTimeout() {
        Run r = serveWith("hang-find-adapter");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("vhba: error: miniport hang-find-adapter: adapter hang-find-adapter0 did not start: ")
                .contains("HwStorFindAdapter did not return within 1.0 s; cpu0 is still in it")
                .contains("ROUTINE_TOO_LONG"));
        // 1 s watchdog, then the kernel's shutdown waits 3 s for cpu0 before it interrupts it
        assertThat(r.millis()).isLessThan(15_000);
    }

    @Test
    void whileAnotherTargetServesAFailedStartReportsTheBugCheckWithTheStuckStack() throws Exception {
        try (TestTarget healthy = TestTarget.start("64M", 512, false);
             WireInitiator w = new WireInitiator(healthy.port())) {
            w.login(INITIATOR, TestTarget.IQN);
            byte[] data = pattern(7);
            assertThat(w.command(write10(8, 8), data, 0).status()).isZero();

            VhbaConfig bad = twoTargets("hang-find-adapter");
            assertThatThrownBy(() -> Vhba.start(bad)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("HwStorFindAdapter did not return within 1.0 s");

            // the other emulator in this JVM never noticed
            WireInitiator.Answer back = w.command(WireInitiator.read10(8, 8), null, 4096);
            assertThat(back.status()).isZero();
            assertThat(back.data()).isEqualTo(data);
            assertThat(healthy.adapter().state()).isEqualTo(AdapterState.RUNNING);
        }
    }

    @Test
    void aMiniportThatHangsForeverIgnoringInterruptsStillLetsTheServeProcessExit2() {
        Path vhbaJar = Path.of("target/vhba.jar");
        assumeTrue(Files.isRegularFile(vhbaJar), "target/vhba.jar is built by mvn package; run the ITs through mvn verify");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long t0 = System.nanoTime();
        ProcessRun r = ProcessRun.run(60, java, "-jar", vhbaJar.toString(), "serve", "--listen", "127.0.0.1:0",
                "--processors", "2", "--size", "64M", "--start-timeout", "1", "--driver", jar.toString(),
                "--miniport", "hang-find-adapter-forever");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.timedOut()).as(r.toString()).isFalse();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("vhba: error: miniport hang-find-adapter-forever: adapter hang-find-adapter-forever0 "
                + "did not start: hang-find-adapter-forever0: HwStorFindAdapter did not return within 1.0 s; cpu0 is still in it");
        assertThat(r.stderr()).as("the abandoned processor is named with its stack")
                .contains("cpu0 is still running hang-find-adapter-forever0 HwStorFindAdapter at shutdown")
                .contains("MisbehavingMiniport.waitForever");
        assertThat(r.stdout()).as("no URL: nothing served").isEmpty();
        assertThat(ms).isLessThan(30_000);
    }

    @Test
    void aMiniportThatThrowsInStartIoStopsItsAdapterAndTheOtherTargetKeepsServing() throws Exception {
        try (Vhba vhba = Vhba.start(twoTargets("throw-start-io"));
             WireInitiator a = new WireInitiator(vhba.portals().get(0).getPort());
             WireInitiator b = new WireInitiator(vhba.portals().get(0).getPort())) {
            a.login(INITIATOR, A);
            b.login(INITIATOR, B);
            WireInitiator.Answer poisoned = a.command(WireInitiator.read10(MisbehavingMiniport.POISON_LBA, 1), null, 512);
            assertThat(poisoned.status()).as("CHECK CONDITION").isEqualTo(2);
            assertThat(poisoned.sense()[2] & 0x0F).isEqualTo(SenseKey.HARDWARE_ERROR.code());

            BugCheck bc = vhba.engine().verifier().bugChecks().get(0);
            assertThat(bc.rule()).isEqualTo(VerifierRule.MINIPORT_EXCEPTION);
            assertThat(bc.adapter()).isEqualTo("throw-start-io0");
            assertThat(bc.routine()).isEqualTo("throw-start-io0 HwStorStartIo");
            assertThat(bc.detail()).contains("HwStorStartIo threw java.lang.IllegalStateException: planted: StartIo fails");
            assertThat(adapter(vhba, "throw-start-io0").state()).isEqualTo(AdapterState.FAILED);

            assertReadsBackWhatItWrote(b);
            assertThat(adapter(vhba, "throw-start-io1").state()).isEqualTo(AdapterState.RUNNING);
            assertThat(vhba.engine().verifier().bugChecks()).hasSize(1);
        }
    }

    @Test
    void aDpcThatNeverReturnsIsBugCheckedItsProcessorTakenOutOfServiceAndTheRestKeepsServing() throws Exception {
        Vhba vhba = Vhba.start(twoTargets("hang-dpc"));
        int port = vhba.portals().get(0).getPort();
        try (WireInitiator b = new WireInitiator(port); WireInitiator a = new WireInitiator(port)) {
            b.login(INITIATOR, B); // connections go round robin: b on cpu0, a on cpu1
            a.login(INITIATOR, A);
            assertReadsBackWhatItWrote(b);
            // The poisoned READ's DPC runs where StartIo queued it, on a's processor, and never returns.
            a.send(new io.vhba.emulator.iscsi.pdu.ScsiCommand(false, true, true, false, 1, 0, a.nextItt(), 512, a.nextCmdSn(), 0,
                    Arrays.copyOf(WireInitiator.read10(MisbehavingMiniport.POISON_LBA, 1), 16), -1, io.netty.buffer.Unpooled.EMPTY_BUFFER));

            BugCheck bc = vhba.engine().verifier().awaitBugCheck(VerifierRule.DPC_WATCHDOG, 10, TimeUnit.SECONDS);
            assertThat(bc).as("DPC_WATCHDOG within 10 s").isNotNull();
            assertThat(bc.adapter()).isEqualTo("hang-dpc0");
            assertThat(bc.routine()).isEqualTo("hang-dpc0 HwStorDpcRoutine");
            assertThat(bc.stacks()).containsKey("cpu1");
            assertThat(bc.stacks().get("cpu1")).anyMatch(f -> f.contains("MisbehavingMiniport.waitForever"));
            assertThat(adapter(vhba, "hang-dpc0").state()).isEqualTo(AdapterState.FAILED);
            assertThat(vhba.kernel().processor(1).isHung()).isTrue();
            assertThat(vhba.kernel().processor(0).isHung()).isFalse();

            // the session on the other processor goes on, and new ones avoid the hung processor
            assertReadsBackWhatItWrote(b);
            try (WireInitiator b2 = new WireInitiator(port); WireInitiator a2 = new WireInitiator(port)) {
                b2.login(INITIATOR, B);
                assertReadsBackWhatItWrote(b2);
                a2.login(INITIATOR, A);
                WireInitiator.Answer failed = a2.command(WireInitiator.read10(0, 1), null, 512);
                assertThat(failed.status()).as("the stopped adapter's LUN fails its I/O").isEqualTo(2);
                assertThat(failed.sense()[2] & 0x0F).isEqualTo(SenseKey.HARDWARE_ERROR.code());
            }
            assertThat(adapter(vhba, "hang-dpc1").state()).isEqualTo(AdapterState.RUNNING);
        } finally {
            long t0 = System.nanoTime();
            vhba.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("close does not wait for the hung processor")
                    .isLessThan(10_000);
        }
    }

    private static Adapter adapter(Vhba vhba, String name) {
        return vhba.engine().adapters().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertReadsBackWhatItWrote(WireInitiator w) throws Exception {
        byte[] data = pattern((int) System.nanoTime());
        assertThat(w.command(write10(64, 8), data, 0).status()).isZero();
        WireInitiator.Answer r = w.command(WireInitiator.read10(64, 8), null, data.length);
        assertThat(r.status()).isZero();
        assertThat(r.data()).isEqualTo(data);
    }

    private static byte[] write10(long lba, int blocks) {
        byte[] cdb = WireInitiator.read10(lba, blocks);
        cdb[0] = 0x2A;
        return cdb;
    }

    private static byte[] pattern(int seed) {
        byte[] b = new byte[4096];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
