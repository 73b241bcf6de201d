package io.vhba.emulator.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs libiscsi's iscsi-test-cu and reads its CUnit verdicts per test. CUnit counts skipped
 * tests as passed, so a test that printed "[SKIPPED]" is reported as SKIP.
 */
final class TestCu {
    static final String INITIATOR1 = "iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test";
    static final String INITIATOR2 = "iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test-2";
    private static final Pattern TEST = Pattern.compile("^  Test: (\\S+) \\.\\.\\.(.*)$");

    enum Verdict { PASS, FAIL, SKIP }

    record Result(Map<String, Verdict> verdicts, ProcessRun run) {
        List<String> with(Verdict v) {
            List<String> l = new ArrayList<>();
            verdicts.forEach((k, x) -> {
                if (x == v) {
                    l.add(k);
                }
            });
            return l;
        }
    }

    private TestCu() {}

    /** Every test name of {@code family.suite} that --list knows. */
    static List<String> list(String prefix) {
        ProcessRun r = ProcessRun.run(30, "iscsi-test-cu", "--list");
        List<String> l = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String t = line.trim();
            if (t.startsWith(prefix + ".") && t.split("\\.").length == 3) {
                l.add(t);
            }
        }
        return l;
    }

    /** Runs the tests matching {@code pattern} against {@code url}; {@code moreUrls} are further paths to the same LUN. */
    static Result run(long timeoutSeconds, String pattern, String url, String... moreUrls) {
        List<String> command = new ArrayList<>(List.of("iscsi-test-cu", "-d", "-S", "-i", INITIATOR1, "-I", INITIATOR2,
                "-t", pattern, url));
        command.addAll(List.of(moreUrls));
        ProcessRun r = ProcessRun.run(timeoutSeconds, command);
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        String current = null;
        boolean skipped = false;
        for (String line : r.stdout().split("\n")) {
            Matcher m = TEST.matcher(line);
            String rest;
            if (m.matches()) {
                current = m.group(1);
                skipped = false;
                rest = m.group(2);
            } else if (current != null) {
                rest = line;
            } else {
                continue;
            }
            // The verdict word comes first; anything after it on the line (a suite teardown's
            // "[SKIPPED]" note, say) belongs to what follows, as conformance.sh reads it too.
            String t = rest.trim();
            if (t.startsWith("passed")) {
                verdicts.put(current, skipped ? Verdict.SKIP : Verdict.PASS);
                current = null;
            } else if (t.startsWith("FAILED")) {
                verdicts.put(current, Verdict.FAIL);
                current = null;
            } else if (rest.contains("[SKIPPED]")) {
                skipped = true;
            }
        }
        return new Result(verdicts, r);
    }
}
