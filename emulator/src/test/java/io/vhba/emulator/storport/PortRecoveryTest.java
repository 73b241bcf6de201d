package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vhba.emulator.fault.ActiveFault;
import io.vhba.emulator.fault.FaultInjector;
import io.vhba.emulator.kernel.Kernel;
import io.vhba.emulator.kernel.KernelViolationSink;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.platform.HostMemory;
import io.vhba.emulator.platform.MmioBus;
import io.vhba.emulator.platform.PciDevice;
import io.vhba.emulator.verifier.StorportVerifier;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbStatus;
import io.vhba.samples.mailbox.MailboxMiniport;
import io.vhba.samples.mailbox.hw.MailboxController;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The port's error recovery with the mailbox miniport on its controller, the port timer driven
 * tick by tick: timeout escalation, LinkDown/LinkUp, BusChangeDetected, ResetDetected, and the
 * port-layer faults (busy, queue full).
 */
class PortRecoveryTest {
    private static final int TIMEOUT_SECONDS = 2;

    private Kernel kernel;
    private HostMemory memory;
    private StorportEngine engine;
    private RecordingDriver driver;
    private PortServices services;
    private Adapter adapter;
    private FaultInjector faults;
    private PciDevice pci;
    private final List<String> unitAttentions = new CopyOnWriteArrayList<>();
    private ListAppender<ILoggingEvent> log;
    private Logger escalationLogger;

    @BeforeEach
    void start() throws Exception {
        kernel = Kernel.boot(2, KernelViolationSink.THROWING);
        memory = new HostMemory(64L << 20);
        MmioBus mmio = new MmioBus();
        engine = new StorportEngine(kernel, memory, mmio, new StorportVerifier(), new EngineSettings(TIMEOUT_SECONDS, 8));
        engine.setPortTickMillis(0); // the test is the clock
        engine.setUnitAttentionListener((u, c) -> unitAttentions.add(u.address() + " " + c));
        faults = new FaultInjector();
        faults.attachEngine(engine);
        AttachedUnit unit = new AttachedUnit(0, 0, faults.wrap("mailbox0", 0, new RamUnit(4096)));
        pci = PciDevice.plug(new MailboxController(ControllerOptions.inline(32)), "pci0:3", mmio, memory, kernel,
                List.of(unit));
        faults.attachDevice("mailbox0", pci, kernel);
        driver = new RecordingDriver(new MailboxMiniport());
        services = engine.load(driver);
        adapter = engine.startAdapter(services, pci, "mailbox0").get(10, TimeUnit.SECONDS);
        driver.seen.clear();
        escalationLogger = (Logger) LoggerFactory.getLogger(ResetEscalation.class);
        log = new ListAppender<>();
        log.start();
        escalationLogger.addAppender(log);
    }

    @AfterEach
    void stop() {
        escalationLogger.detachAppender(log);
        kernel.close();
    }

    private record Done(SrbStatus status, int scsiStatus, int transferred) {}

    private CompletableFuture<Done> read(long lba, int blocks) {
        CompletableFuture<Done> f = new CompletableFuture<>();
        byte[] cdb = {0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0, 0, (byte) blocks, 0};
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        HostBuffer buf = memory.allocate(blocks * 512);
        kernel.execute(kernel.processor(1), () -> {
            EngineSrb srb = adapter.allocateSrb();
            srb.prepareExecuteScsi(lu, cdb, 10, SrbFlags.DATA_IN, buf, blocks * 512, TIMEOUT_SECONDS, 0x20, s -> {
                f.complete(new Done(s.portSrbStatus(), s.portScsiStatus(), s.portDataTransferLength()));
                s.recycle();
                buf.release();
            }, null);
            adapter.submit(srb);
        });
        return f;
    }

    private void tick(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            adapter.timeouts.tickNow().get(5, TimeUnit.SECONDS);
        }
        // what the ticks posted to processor 0 (reset completions, then the checks they post) has run
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            kernel.execute(kernel.processor(0), () -> f.complete(null));
            f.get(5, TimeUnit.SECONDS);
        }
    }

    private List<String> logLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aLostCommandTimesOutAndTheEscalationGoesLunResetDeviceResetBusResetThenIoWorksAgain() throws Exception {
        faults.inject("never-complete,lun=0,count=1");
        CompletableFuture<Done> lost = read(8, 8);
        awaitOutstanding(1);

        tick(TIMEOUT_SECONDS); // first sight, then one second: not yet
        assertThat(lost).isNotDone();
        assertThat(adapter.recovery().timeouts()).isZero();
        tick(1); // TimeOutValue seconds after the first sight: timed out, LUN reset
        assertThat(adapter.recovery().timeouts()).isEqualTo(1);
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI 28", "RESET_LOGICAL_UNIT");
        tick(1); // the LUN reset returned without the request: device reset
        assertThat(driver.seen).endsWith("RESET_DEVICE");
        tick(1); // still not back: bus reset
        Done d = lost.get(5, TimeUnit.SECONDS);

        assertThat(d.status()).isEqualTo(SrbStatus.TIMEOUT);
        assertThat(d.transferred()).isZero();
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI 28", "RESET_LOGICAL_UNIT", "RESET_DEVICE", "HwStorResetBus 0");
        RecoveryCounters c = adapter.recovery();
        assertThat(List.of(c.timeouts(), c.logicalUnitResets(), c.deviceResets(), c.busResets(), c.completedByPortAfterReset()))
                .containsExactly(1L, 1L, 1L, 1L, 0L);
        assertThat(unitAttentions).containsExactly("0:0:0 SCSI_BUS_RESET_OCCURRED");
        assertThat(logLines()).containsExactly(
                "adapter mailbox0 target 0 lun 0: SRB tag 0 (opcode 0x28) timed out after 2 s; escalating to LUN reset",
                "adapter mailbox0 target 0 lun 0: LUN reset did not bring back 1 timed-out request(s); escalating to device reset",
                "adapter mailbox0 target 0 lun 0: device reset did not bring back 1 timed-out request(s); escalating to bus reset",
                "adapter mailbox0: bus reset: HwStorResetBus returned true; the miniport completed 1 request(s), "
                        + "the port 0 more with SRB_STATUS_BUS_RESET; queues resumed");

        Done after = read(8, 8).get(5, TimeUnit.SECONDS);
        assertThat(after.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(after.transferred()).isEqualTo(4096);
    }

    @Test
    void linkDownStopsTheTimeoutClockAndHoldsNewRequestsUntilLinkUp() throws Exception {
        faults.inject("never-complete,lun=0,count=1");
        CompletableFuture<Done> lost = read(8, 8);
        awaitOutstanding(1);
        tick(1); // first sight: TIMEOUT_SECONDS ticks to go

        adapter.linkDown();
        CompletableFuture<Done> held = read(16, 1);
        for (int i = 0; i < 500 && adapter.logicalUnit(0, 0, 0).pendingCount() == 0; i++) {
            Thread.sleep(10);
        }
        tick(10);
        assertThat(adapter.recovery().timeouts()).as("no time passes while the link is down").isZero();
        assertThat(adapter.logicalUnit(0, 0, 0).pendingCount()).as("a new request waits for LinkUp").isEqualTo(1);
        assertThat(held).isNotDone();
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI 28");

        adapter.linkUp();
        assertThat(held.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        tick(TIMEOUT_SECONDS - 1);
        assertThat(adapter.recovery().timeouts()).isZero();
        tick(1);
        assertThat(adapter.recovery().timeouts()).isEqualTo(1);
        assertThat(List.of(adapter.recovery().linkDowns(), adapter.recovery().linkUps())).containsExactly(1L, 1L);
        tick(2);
        assertThat(lost.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.TIMEOUT);
    }

    @Test
    void busChangeDetectedRescansAndRaisesReportedLunsDataHasChanged() throws Exception {
        services.notification(NotificationType.BUS_CHANGE_DETECTED, adapter.deviceExtension);
        awaitUnitAttentions(1);
        assertThat(unitAttentions).containsExactly("0:0:0 REPORTED_LUNS_DATA_HAS_CHANGED");
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI A0", "EXECUTE_SCSI 12"); // REPORT LUNS, INQUIRY
        assertThat(adapter.recovery().busChanges()).isEqualTo(1);
    }

    @Test
    void resetDetectedLeavesRequestsWithTheMiniportAndRaisesBusResetUnitAttention() throws Exception {
        services.notification(NotificationType.RESET_DETECTED, adapter.deviceExtension);
        awaitUnitAttentions(1);
        assertThat(unitAttentions).containsExactly("0:0:0 SCSI_BUS_RESET_OCCURRED");
        assertThat(driver.seen).isEmpty();
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void anInjectedBusyIsRequeuedAndAnInjectedQueueFullReachesTheInitiatorAsTaskSetFull() throws Exception {
        faults.inject("busy,lun=0,count=1");
        Done busy = read(0, 1).get(5, TimeUnit.SECONDS);
        assertThat(busy.status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(adapter.counters().busyRequeues()).isEqualTo(1);
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI 28"); // the miniport saw only the retry
        faults.clear();

        faults.inject("queue-full,count=1");
        Done full = read(0, 1).get(5, TimeUnit.SECONDS);
        assertThat(full.status()).isEqualTo(SrbStatus.ERROR);
        assertThat(full.scsiStatus()).isEqualTo(0x28);
        assertThat(adapter.recovery().injectedCompletions()).isEqualTo(2);
    }

    @Test
    void aRequestedBusResetCallsResetBusAndRaisesTheUnitAttention() throws Exception {
        adapter.resetBus("test");
        awaitUnitAttentions(1);
        assertThat(driver.seen).containsExactly("HwStorResetBus 0");
        assertThat(unitAttentions).containsExactly("0:0:0 SCSI_BUS_RESET_OCCURRED");
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void aDroppedInterruptStrandsTheCompletionUntilTheTimeoutPathRecoversIt() throws Exception {
        ActiveFault drop = faults.inject("interrupt-drop,adapter=mailbox0,count=1");
        CompletableFuture<Done> stranded = read(0, 1);
        awaitFired(drop, 1);
        // the fault counts its firing just before the platform counts the lost signal: wait for both
        EngineFixture.await("the lost signal", () -> pci.deviceInterrupts().lostSignals() == 1);
        assertThat(pci.deviceInterrupts().lostSignals()).isEqualTo(1);
        // The controller raises that vector again only after the driver acknowledges it (CQ_HEAD),
        // which the ISR that never ran would have done: the request waits for its timeout.
        tick(TIMEOUT_SECONDS + 1);
        assertThat(adapter.recovery().timeouts()).isEqualTo(1);
        assertThat(stranded).isNotDone();
        tick(2); // LUN reset and device reset find nothing on the device; the bus reset completes it
        assertThat(stranded.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.TIMEOUT);
        assertThat(driver.seen).containsExactly("EXECUTE_SCSI 28", "RESET_LOGICAL_UNIT", "RESET_DEVICE", "HwStorResetBus 0");
        assertThat(read(1, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void aDelayedInterruptStillCompletesTheRequest() throws Exception {
        ActiveFault delay = faults.inject("interrupt-delay,delay-ms=20,count=1");
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(delay.fired()).isEqualTo(1);
        assertThat(pci.deviceInterrupts().lostSignals()).isZero();
    }

    @Test
    void aFailedDmaFailsThatRequestOnlyWithAnHbaError() throws Exception {
        ActiveFault fail = faults.inject("dma-fail,count=1");
        Done failed = read(0, 1).get(5, TimeUnit.SECONDS);
        assertThat(failed.status()).isEqualTo(SrbStatus.ERROR);
        assertThat(failed.scsiStatus()).as("no SCSI status: the HBA failed it").isZero();
        assertThat(fail.fired()).isEqualTo(1);
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    @Test
    void injectedLinkDownWithADurationComesBackUpAndInjectedBusResetResetsTheBus() throws Exception {
        faults.inject("link-down,duration-ms=50");
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS); // admitted before the link fell
        for (int i = 0; i < 500 && adapter.recovery().linkUps() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(List.of(adapter.recovery().linkDowns(), adapter.recovery().linkUps())).containsExactly(1L, 1L);
        assertThat(adapter.isLinkDown()).isFalse();

        faults.inject("bus-reset");
        // the read that triggers the reset runs on processor 1 while the reset runs on processor 0:
        // it finishes first, or the reset returns it with SRB_STATUS_BUS_RESET
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isIn(SrbStatus.SUCCESS, SrbStatus.BUS_RESET);
        awaitUnitAttentions(1);
        assertThat(adapter.recovery().busResets()).isEqualTo(1);
        assertThat(driver.seen).contains("HwStorResetBus 0");
        assertThat(read(0, 1).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
    }

    private static void awaitFired(ActiveFault f, long n) throws InterruptedException {
        for (int i = 0; i < 500 && f.fired() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(f.fired()).isEqualTo(n);
    }

    private void awaitOutstanding(int n) throws InterruptedException {
        PortLogicalUnit lu = adapter.logicalUnit(0, 0, 0);
        for (int i = 0; i < 500 && lu.outstanding() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(lu.outstanding()).isEqualTo(n);
    }

    private void awaitUnitAttentions(int n) throws InterruptedException {
        for (int i = 0; i < 500 && unitAttentions.size() < n; i++) {
            Thread.sleep(10);
        }
    }
}
