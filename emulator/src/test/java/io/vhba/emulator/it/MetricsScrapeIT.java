package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Vhba.scrape()} after real I/O on the wire: each counter and histogram moved by exactly what
 * the initiator did, and {@code promtool check metrics} (Debian's prometheus package) finds nothing
 * to complain about. With data-path metrics off, the per-command meters do not exist at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsScrapeIT {
    private static final String INITIATOR = "iqn.2026-11.test:metrics";
    private static final int IOS = 40;
    private static final int BLOCK = 512;
    private static final int BLOCKS = 8; // 4 KiB per command
    /** 64 MiB of 512-byte blocks: the first LBA past the end. */
    private static final long END_LBA = (64L << 20) / BLOCK;

    private static VhbaConfig config(boolean metrics) {
        return VhbaConfig.builder().listen(List.of("127.0.0.1:0")).processors(2).hostMemory("512M").miniport("mailbox")
                .controller(new ControllerConfig(null, null, null)).ioTimeoutSeconds(30).verifier(true).nopInIntervalSeconds(0)
                .targets(List.of(new TargetConfig(TestTarget.IQN, "vhba-test", null,
                        List.of(new LunConfig(0, "64M", BLOCK, false, true, false, null))))).metrics(metrics).build();
    }

    @Test
    void countersAndHistogramsMoveByWhatTheInitiatorDid(@TempDir Path tmp) throws Exception {
        try (TestTarget target = TestTarget.start(config(true))) {
            String adapter = target.adapter().name();
            String[] lun0 = {"target", TestTarget.IQN, "lun", "0"};
            Scrape before = Scrape.parse(target.vhba().scrape());
            target.vhba().faults().inject("medium-error,lun=0,lba=4096-4103");
            byte[] data = new byte[BLOCKS * BLOCK];
            Arrays.fill(data, (byte) 0x5A);
            Scrape during;
            try (WireInitiator w = new WireInitiator(target.port())) {
                LoginResponse login = w.login(INITIATOR, TestTarget.IQN);
                assertThat(login.statusClass()).isZero();
                login.release();
                // The new nexus's first command meets its power-on unit attention (no SRB: the core answers).
                assertThat(w.command(new byte[] {0x00, 0, 0, 0, 0, 0}, null, 0).status()).isEqualTo(0x02);
                for (int i = 0; i < IOS; i++) {
                    assertThat(w.command(write10(i * BLOCKS, BLOCKS), data, 0).status()).isZero();
                }
                for (int i = 0; i < IOS; i++) {
                    WireInitiator.Answer a = w.command(WireInitiator.read10((long) i * BLOCKS, BLOCKS), null, data.length);
                    assertThat(a.status()).isZero();
                    assertThat(a.data()).isEqualTo(data);
                }
                // Past the end: ILLEGAL REQUEST from the disk. On the fault's LBAs: MEDIUM ERROR.
                assertThat(w.command(WireInitiator.read10(END_LBA, 1), null, BLOCK).status()).isEqualTo(0x02);
                assertThat(w.command(WireInitiator.read10(4096, BLOCKS), null, data.length).status()).isEqualTo(0x02);
                during = Scrape.parse(target.vhba().scrape());
            }
            Scrape after = awaitSessionsGone(target);

            // Commands, bytes and latency by direction, per target and LUN (iSCSI layer).
            assertThat(delta(before, during, "vhba_iscsi_commands_total", with(lun0, "direction", "write"))).isEqualTo(IOS);
            assertThat(delta(before, during, "vhba_iscsi_commands_total", with(lun0, "direction", "read"))).isEqualTo(IOS + 2);
            assertThat(delta(before, during, "vhba_iscsi_commands_total", with(lun0, "direction", "none"))).isEqualTo(1);
            assertThat(delta(before, during, "vhba_iscsi_data_bytes_total", with(lun0, "direction", "write")))
                    .isEqualTo(IOS * data.length);
            assertThat(delta(before, during, "vhba_iscsi_data_bytes_total", with(lun0, "direction", "read")))
                    .isEqualTo(IOS * data.length);
            String[] reads = with(lun0, "direction", "read");
            assertThat(during.sum("vhba_iscsi_command_duration_seconds_count", reads)).isEqualTo(IOS + 2);
            assertThat(during.sum("vhba_iscsi_command_duration_seconds_bucket", with(reads, "le", "+Inf"))).isEqualTo(IOS + 2);
            assertThat(during.sum("vhba_iscsi_command_duration_seconds_sum", reads)).isPositive();
            assertThat(during.series("vhba_iscsi_command_duration_seconds_bucket", reads))
                    .as("a histogram over the latency ladder and +Inf, for histogram_quantile").hasSize(25);
            assertThat(delta(before, during, "vhba_iscsi_command_status_total", with(lun0, "status", "good"))).isEqualTo(2 * IOS);
            assertThat(delta(before, during, "vhba_iscsi_command_status_total", with(lun0, "status", "check_condition"))).isEqualTo(3);
            assertThat(during.sum("vhba_iscsi_check_conditions_total", with(lun0, "sense_key", "unit_attention"))).isEqualTo(1);
            assertThat(during.sum("vhba_iscsi_check_conditions_total", with(lun0, "sense_key", "illegal_request"))).isEqualTo(1);
            assertThat(during.sum("vhba_iscsi_check_conditions_total", with(lun0, "sense_key", "medium_error"))).isEqualTo(1);

            // Sessions and logins; the initiator's series lives as long as its session.
            assertThat(during.sum("vhba_iscsi_sessions", "target", TestTarget.IQN, "type", "normal")).isEqualTo(1);
            assertThat(during.sum("vhba_iscsi_initiator_sessions", "initiator", INITIATOR)).isEqualTo(1);
            assertThat(delta(before, during, "vhba_iscsi_logins_total", "outcome", "ok")).isEqualTo(1);
            assertThat(after.sum("vhba_iscsi_sessions", "target", TestTarget.IQN, "type", "normal")).isZero();
            assertThat(after.series("vhba_iscsi_initiator_sessions", "initiator", INITIATOR)).isEmpty();

            // The engine: every SRB by status, device latency per adapter and LUN; nothing left outstanding.
            String[] srbs = {"adapter", adapter};
            assertThat(delta(before, during, "vhba_storport_srb_status_total", with(srbs, "status", "success"))).isEqualTo(2 * IOS);
            assertThat(delta(before, during, "vhba_storport_srb_status_total", with(srbs, "status", "error"))).isEqualTo(2);
            assertThat(delta(before, during, "vhba_storport_srb_duration_seconds_count", with(srbs, "lun", "0")))
                    .isEqualTo(2 * IOS + 2);
            assertThat(during.series("vhba_storport_srb_duration_seconds_bucket", with(srbs, "lun", "0"))).hasSize(25);
            assertThat(during.sum("vhba_lun_outstanding_commands", with(lun0, "adapter", adapter))).isZero();

            // The kernel: interrupts and DPCs ran; one in 16 of each was timed (sampled per processor).
            double interrupts = delta(before, during, "vhba_kernel_interrupts_total");
            double dpcs = delta(before, during, "vhba_kernel_dpcs_total");
            assertThat(interrupts).isGreaterThanOrEqualTo(2 * IOS);
            assertThat(dpcs).isGreaterThanOrEqualTo(2 * IOS);
            assertThat(delta(before, during, "vhba_kernel_isr_duration_seconds_count"))
                    .isBetween(Math.floor(interrupts / 16) - 2, Math.ceil(interrupts / 16) + 2);
            assertThat(delta(before, during, "vhba_kernel_dpc_latency_seconds_count"))
                    .isBetween(Math.floor(dpcs / 16) - 2, Math.ceil(dpcs / 16) + 2);
            assertThat(during.series("vhba_kernel_dpc_queue_depth")).hasSize(2);

            // Faults, bug checks (none), recovery (none), host memory, the JVM.
            assertThat(delta(before, during, "vhba_faults_fired_total", "kind", "medium-error")).isEqualTo(1);
            assertThat(during.series("vhba_faults_fired_total")).hasSizeGreaterThan(10);
            assertThat(during.sum("vhba_verifier_bugchecks_total")).isZero();
            assertThat(during.series("vhba_verifier_bugchecks_total")).isNotEmpty();
            assertThat(during.series("vhba_storport_timeouts_total", srbs)).hasSize(1);
            assertThat(during.sum("vhba_storport_resets_bus_total", srbs)).isZero();
            assertThat(during.sum("vhba_host_memory_used_bytes")).isPositive();
            assertThat(during.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(during.names()).contains("jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_uptime_seconds", "jvm_classes_loaded_classes");

            promtoolFindsNoProblem(during, tmp);
        }
    }

    @Test
    void withMetricsOffTheDataPathRecordsNothing() throws Exception {
        try (TestTarget target = TestTarget.start(config(false))) {
            try (WireInitiator w = new WireInitiator(target.port())) {
                w.login(INITIATOR, TestTarget.IQN).release();
                w.command(new byte[] {0x00, 0, 0, 0, 0, 0}, null, 0);
                assertThat(w.command(WireInitiator.read10(0, BLOCKS), null, BLOCKS * BLOCK).status()).isZero();
                Scrape s = Scrape.parse(target.vhba().scrape());
                assertThat(s.names()).noneMatch(n -> n.startsWith("vhba_iscsi_command") || n.startsWith("vhba_iscsi_data")
                        || n.startsWith("vhba_storport_srb_") || n.startsWith("vhba_kernel_dpc_latency")
                        || n.startsWith("vhba_kernel_isr_duration"));
                // Events and scrape-time readings stay.
                assertThat(s.sum("vhba_iscsi_sessions", "type", "normal")).isEqualTo(1);
                assertThat(s.sum("vhba_iscsi_logins_total", "outcome", "ok")).isEqualTo(1);
                assertThat(s.sum("vhba_kernel_interrupts_total")).isPositive();
            }
        }
    }

    /** promtool's linter over the scrape: exit 0 and no finding (missing promtool skips, or fails in CI). */
    private static void promtoolFindsNoProblem(Scrape scrape, Path tmp) throws Exception {
        Path promtool = Peers.require("promtool", "apt-get install prometheus");
        Path file = tmp.resolve("metrics.txt");
        Files.writeString(file, scrape.text());
        ProcessRun r = ProcessRun.run(30, "sh", "-c", "'" + promtool + "' check metrics < '" + file + "'");
        assertThat(r.timedOut()).isFalse();
        assertThat(r.stdout() + r.stderr()).as("promtool check metrics").isBlank();
        assertThat(r.exitCode()).as("promtool exit status: %s", r).isZero();
    }

    /** The scrape once the target has closed the session (the connection's end reaches it asynchronously). */
    private static Scrape awaitSessionsGone(TestTarget target) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Scrape s;
        do {
            s = Scrape.parse(target.vhba().scrape());
            if (s.sum("vhba_iscsi_sessions", "type", "normal") == 0) {
                return s;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        return s;
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static String[] with(String[] labels, String... more) {
        String[] l = Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, l, labels.length, more.length);
        return l;
    }

    private static byte[] write10(long lba, int blocks) {
        byte[] cdb = WireInitiator.read10(lba, blocks);
        cdb[0] = 0x2A;
        return cdb;
    }
}
