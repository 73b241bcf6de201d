package io.vhba.emulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.config.ConfigLoader;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * libiscsi's whole iscsi-test-cu family ALL, suite by suite, against the conformance
 * configuration (emulator/src/test/resources/conformance.yaml) on two portals, with a second
 * initiator name. The suites that test several paths (MultipathIO, PreventAllow) get the second
 * portal as their second path; the others get one path, because with two the Sanitize suite
 * fails its own Reset test (see {@link #URL2_FAILS}). Every test must pass except the skips
 * below, each with its reason (docs/conformance.md); a listed exception that starts passing
 * fails this test too, so the list and the docs stay true.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ConformanceFullIT {
    /** Tests that skip against LUN 0, and why; each is shown to pass elsewhere in this class. */
    private static final Map<String, String> SKIPS = Map.of(
            "ReadOnly.ReadOnlySBC", "LUN 0 is writable; the suite passes against the read-only LUN 1",
            "WriteSame10.UnmapUnaligned", "needs LBPPB >= 2; passes against the 512e LUN 2",
            "WriteSame10.InvalidDataOutSize", "needs LBPPB >= 2; passes against the 512e LUN 2",
            "WriteSame16.UnmapUnaligned", "needs LBPPB >= 2; passes against the 512e LUN 2",
            "WriteSame16.InvalidDataOutSize", "needs LBPPB >= 2; passes against the 512e LUN 2",
            "CompareAndWrite.InvalidDataOutSize", "needs LBPPB >= 2; passes against the 512e LUN 2");
    /** Suites that run with both paths. */
    private static final Set<String> MULTIPATH_SUITES = Set.of("ALL.MultipathIO", "ALL.PreventAllow");
    /**
     * With a second path libiscsi 1.19's Sanitize.Reservations takes its RESERVE(6) on that path and never
     * releases it (the path stays logged in), so the SANITIZE of Sanitize.Reset, the next test, rightly gets
     * RESERVATION CONFLICT (SPC-2 5.5.1). With one path the test logs its clone out, and the I_T nexus loss
     * releases the reservation.
     */
    private static final Map<String, String> URL2_FAILS = Map.of(
            "Reset", "the RESERVE(6) Sanitize.Reservations left on the second path conflicts with its SANITIZE");

    @Test
    void theWholeFamilyPassesButForTheDocumentedExceptions(@TempDir Path state) throws Exception {
        Peers.require("iscsi-test-cu", "apt-get install libiscsi-bin");
        VhbaConfig base = ConfigLoader.load(Path.of(ConformanceFullIT.class.getResource("/conformance.yaml").toURI()));
        TargetConfig t = base.targets().get(0);
        List<LunConfig> luns = new ArrayList<>(t.luns());
        luns.add(new LunConfig(2, "64M", 512, 4096, false, true, false, null)); // 512e, for the LBPPB tests
        VhbaConfig config = new VhbaConfig(List.of("127.0.0.1:0", "127.0.0.1:0"), 2, "1G", "mailbox", base.controller(),
                30, true, null, 0, null, List.of(new TargetConfig(t.iqn(), t.alias(), null, luns)), state.toString());
        try (TestTarget target = TestTarget.start(config)) {
            List<InetSocketAddress> portals = target.vhba().portals();
            String path1 = "iscsi://127.0.0.1:" + portals.get(0).getPort() + "/" + t.iqn() + "/";
            String path2 = "iscsi://127.0.0.1:" + portals.get(1).getPort() + "/" + t.iqn() + "/";

            Map<String, TestCu.Verdict> verdicts = new TreeMap<>();
            StringBuilder output = new StringBuilder();
            for (String suite : suites()) {
                TestCu.Result r = MULTIPATH_SUITES.contains(suite) ? TestCu.run(300, suite, path1 + "0", path2 + "0")
                        : TestCu.run(300, suite, path1 + "0");
                assertThat(r.run().timedOut()).as("%s timed out:\n%s", suite, r.run()).isFalse();
                String name = suite.substring("ALL.".length());
                r.verdicts().forEach((test, v) -> verdicts.put(name + "." + test, v));
                if (!r.with(TestCu.Verdict.FAIL).isEmpty()) {
                    output.append(r.run().stdout());
                }
            }
            List<String> expected = TestCu.list("ALL").stream().map(s -> s.substring("ALL.".length())).toList();
            assertThat(verdicts.keySet()).as("a verdict for every test of family ALL").containsExactlyInAnyOrderElementsOf(expected);
            Map<String, TestCu.Verdict> notPassed = new TreeMap<>(verdicts);
            notPassed.values().removeIf(v -> v == TestCu.Verdict.PASS);
            Map<String, TestCu.Verdict> documented = new TreeMap<>();
            SKIPS.keySet().forEach(k -> documented.put(k, TestCu.Verdict.SKIP));
            assertThat(notPassed).as("tests that did not pass, against the documented list\n%s", output)
                    .isEqualTo(documented);
            long passed = verdicts.values().stream().filter(v -> v == TestCu.Verdict.PASS).count();
            System.out.printf("iscsi-test-cu ALL: %d passed, 0 failed, %d skipped of %d%n", passed, SKIPS.size(),
                    verdicts.size());

            // The one test that fails with two paths, for the libiscsi reason above: it needs the whole suite in
            // one process (a "-t" list of two tests runs each in a suite of its own, logged out in between).
            TestCu.Result twoPaths = TestCu.run(300, "ALL.Sanitize", path1 + "0", path2 + "0");
            assertThat(twoPaths.with(TestCu.Verdict.FAIL)).as(twoPaths.run().stdout())
                    .containsExactlyInAnyOrderElementsOf(URL2_FAILS.keySet());
            assertThat(twoPaths.with(TestCu.Verdict.PASS)).as(twoPaths.run().stdout()).contains("Reservations")
                    .hasSize(twoPaths.verdicts().size() - URL2_FAILS.size());

            // Where the skipped tests run: the read-only LUN 1 and the 512e LUN 2.
            TestCu.Result ro = TestCu.run(120, "ALL.ReadOnly", path1 + "1");
            assertThat(ro.with(TestCu.Verdict.PASS)).as(ro.run().stdout()).contains("ReadOnlySBC");
            assertThat(ro.with(TestCu.Verdict.FAIL)).as(ro.run().stdout()).isEmpty();
            for (String test : List.of("ALL.WriteSame10.UnmapUnaligned", "ALL.WriteSame10.InvalidDataOutSize",
                    "ALL.WriteSame16.UnmapUnaligned", "ALL.WriteSame16.InvalidDataOutSize", "ALL.CompareAndWrite.InvalidDataOutSize")) {
                TestCu.Result r = TestCu.run(120, test, path1 + "2");
                assertThat(r.with(TestCu.Verdict.PASS)).as("%s on the 512e LUN:\n%s", test, r.run().stdout())
                        .containsExactly(test.substring(test.lastIndexOf('.') + 1));
            }
        }
    }

    /** The suites of family ALL, in --list order. */
    private static Set<String> suites() {
        Set<String> s = new LinkedHashSet<>();
        for (String test : TestCu.list("ALL")) {
            s.add(test.substring(0, test.lastIndexOf('.')));
        }
        return s;
    }
}
