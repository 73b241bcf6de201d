package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.runtime.Vhba;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of docker/grafana/dashboards/vhba.json names metrics that a real scrape exports: the
 * target runs in-process, a little I/O (and a CHECK CONDITION and a task management function) makes
 * the histograms and labelled counters exist, then each panel's PromQL is checked against
 * {@code Vhba.scrape()}: the names it selects are there, {@code _bucket} ones belong to histograms,
 * and what it takes a rate of is a counter.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardQueriesTest {
    private static final String IQN = "iqn.2026-11.io.vhba.test:dashboard";
    private static Vhba vhba;
    private static String scrape;
    /** Sample name -> the type of its family (counter, gauge, histogram, ...). */
    private static final Map<String, String> TYPES = new HashMap<>();

    @BeforeAll
    static void scrapeAfterIo() throws Exception {
        vhba = Vhba.start(new VhbaConfig(List.of("127.0.0.1:0"), 2, "256M", "mailbox", new ControllerConfig(null, null, null),
                30, true, null, 0, null,
                List.of(new TargetConfig(IQN, "dashboard", null, List.of(new LunConfig(0, "16M", 512, false, true, false, null))))));
        try (LoopbackInitiator w = new LoopbackInitiator(vhba.portals().get(0).getPort())) {
            assertThat(w.login("iqn.2026-11.test:dashboard-probe", IQN)).isZero();
            assertThat(w.command(new byte[6], null, 0)).as("the power-on unit attention").isEqualTo(2);
            byte[] block = new byte[4096];
            for (int i = 0; i < 8; i++) {
                assertThat(w.command(LoopbackInitiator.readWrite10(0x2A, i * 8L, 8), block, 0)).isZero();
                assertThat(w.command(LoopbackInitiator.readWrite10(0x28, i * 8L, 8), null, block.length)).isZero();
            }
            assertThat(w.command(LoopbackInitiator.readWrite10(0x28, 16L << 11, 1), null, 512)).as("past the end").isEqualTo(2);
            assertThat(w.abortUnknownTask()).as("TASK DOES NOT EXIST").isEqualTo(1);
            scrape = vhba.scrape();
        }
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                String family = f[2];
                String type = f[3];
                if (type.equals("histogram")) {
                    for (String suffix : List.of("_bucket", "_count", "_sum")) {
                        TYPES.put(family + suffix, type);
                    }
                } else {
                    TYPES.put(family, type);
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (vhba != null) {
            vhba.close();
        }
    }

    private static Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Test
    void everyQueryNamesOnlyMetricsTheScrapeExports() {
        JsonNode dashboard = MonitoringFiles.json(MonitoringFiles.dashboard());
        List<MonitoringFiles.Query> queries = MonitoringFiles.queries(dashboard);
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> exported = sampleNames();
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (MonitoringFiles.Query q : queries) {
            PromQl p = PromQl.of(q.expr());
            String where = "panel " + q.panelId() + " '" + q.panelTitle() + "' " + q.refId() + ": ";
            if (p.names().isEmpty()) {
                problems.add(where + "selects no metric: " + q.expr());
            }
            for (String name : p.names()) {
                used.add(name);
                if (!exported.contains(name)) {
                    problems.add(where + name + " is not exported");
                } else if (name.endsWith("_bucket") && !"histogram".equals(TYPES.get(name))) {
                    problems.add(where + name + " is not a histogram's bucket");
                }
            }
            for (String name : p.rated()) {
                String type = TYPES.get(name);
                if (exported.contains(name) && !"counter".equals(type) && !"histogram".equals(type)) {
                    problems.add(where + "rate of " + name + ", a " + type + ", not a counter");
                }
            }
        }
        assertThat(problems).isEmpty();
        // The panels the issue asks for: IOPS, throughput, latency, queue depth, DPC/ISR, errors, faults, sessions.
        assertThat(used).contains("vhba_iscsi_commands_total", "vhba_iscsi_data_bytes_total",
                "vhba_iscsi_command_duration_seconds_bucket", "vhba_storport_srb_duration_seconds_bucket",
                "vhba_lun_outstanding_commands", "vhba_kernel_interrupts_total", "vhba_kernel_dpcs_total",
                "vhba_kernel_isr_duration_seconds_sum", "vhba_storport_srb_status_total", "vhba_iscsi_check_conditions_total",
                "vhba_verifier_bugchecks_total", "vhba_faults_fired_total", "vhba_iscsi_sessions", "vhba_iscsi_logins_total");
    }

    @Test
    void theTargetVariableFindsTheTarget() {
        JsonNode variable = MonitoringFiles.json(MonitoringFiles.dashboard()).path("templating").path("list").get(0);
        assertThat(variable.path("name").asText()).isEqualTo("target");
        PromQl p = PromQl.of(variable.path("definition").asText().replaceFirst("^label_values\\((.*), target\\)$", "$1"));
        assertThat(p.names()).containsExactly("vhba_iscsi_sessions");
        assertThat(scrape).contains("vhba_iscsi_sessions{target=\"" + IQN + "\",type=\"normal\"}");
    }

    @Test
    void promtoolParsesEveryQuery(@TempDir Path tmp) throws Exception {
        // As recording rules, with Grafana's variables given plain values, promtool parses each expression.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (MonitoringFiles.Query q : MonitoringFiles.queries(MonitoringFiles.json(MonitoringFiles.dashboard()))) {
            String expr = q.expr().replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$target", ".*");
            rules.append("      - record: dashboard:panel").append(q.panelId()).append('_').append(q.refId()).append('\n')
                    .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(tmp.resolve("dashboard.rules.yml"), rules);
        Scripts.Finished r = Promtool.run("check", "rules", file.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @Test
    void theExtractorSeesThroughMatchersRangesAndGrouping() {
        PromQl p = PromQl.of("histogram_quantile(0.99, sum by (le, target) (rate(a_seconds_bucket{target=~\"$target\", "
                + "lun!=\"x\"}[$__rate_interval]))) / on (target) group_left b_total offset 5m > 0 and c");
        assertThat(p.names()).containsExactly("a_seconds_bucket", "b_total", "c");
        assertThat(p.rated()).containsExactly("a_seconds_bucket");
    }
}
