package io.vhba.emulator.explore;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.fault.FaultKind;
import io.vhba.emulator.fault.FaultSpec;
import io.vhba.emulator.fault.FaultSpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the exploration's initiator does: {@code reads} READ(10) and {@code writes} WRITE(10) of {@code blocks} blocks
 * each, in a random order, over {@code regions} aligned regions of each of {@code luns} LUNs, with up to {@code qd}
 * commands outstanding; {@code aborts} of them are followed at once by an ABORT TASK for them, and {@code resets}
 * by a LOGICAL UNIT RESET of their LUN. {@code faults} are installed for the run, each firing with its probability
 * (a seeded trigger).
 */
public record Workload(int reads, int writes, int aborts, int resets, Map<String, Double> faults, int qd, int luns,
                       int blocks, int regions) {

    public static final String GRAMMAR = "reads=N,writes=N,aborts=N,resets=N,faults=KIND:P[+KIND:P...],qd=N,luns=N,"
            + "blocks=N,regions=N";
    /** The workload when none is given. */
    public static final Workload DEFAULT = new Workload(100, 100, 10, 0, Map.of(), 8, 1, 8, 32);
    /** Faults that make sense at a probability with no further parameter (delays are 1 ms). */
    static final Set<String> FAULT_KINDS = Set.of("interrupt-delay", "interrupt-drop", "dma-delay", "dma-fail", "busy",
            "queue-full", "never-complete");

    public Workload {
        faults = Map.copyOf(faults);
        check(reads >= 0 && writes >= 0 && reads + writes >= 1 && reads + writes <= 1_000_000, "reads and writes");
        check(aborts >= 0 && aborts <= reads + writes, "aborts (at most one per command)");
        check(resets >= 0 && resets <= reads + writes, "resets (at most one per command)");
        check(qd >= 1 && qd <= 128, "qd (1..128)");
        check(luns >= 1 && luns <= 8, "luns (1..8)");
        check(blocks >= 1 && blocks <= 128, "blocks (1..128)");
        check(regions >= 1 && regions <= 4096, "regions (1..4096)");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new ConfigException("--workload: bad " + what);
        }
    }

    /** {@code spec} over the defaults; a one-line error naming the problem. */
    public static Workload parse(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String item : spec.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new ConfigException("--workload: '" + item + "' is not key=value; grammar: " + GRAMMAR);
            }
            String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (kv.put(key, item.substring(eq + 1).trim()) != null) {
                throw new ConfigException("--workload: " + key + " given twice");
            }
        }
        Workload d = DEFAULT;
        Map<String, Double> faults = kv.containsKey("faults") ? faults(kv.remove("faults")) : d.faults;
        Workload w = new Workload(number(kv, "reads", d.reads), number(kv, "writes", d.writes),
                number(kv, "aborts", d.aborts), number(kv, "resets", d.resets), faults, number(kv, "qd", d.qd),
                number(kv, "luns", d.luns), number(kv, "blocks", d.blocks), number(kv, "regions", d.regions));
        if (!kv.isEmpty()) {
            throw new ConfigException("--workload: unknown key " + kv.keySet().iterator().next() + "; grammar: " + GRAMMAR);
        }
        return w;
    }

    private static int number(Map<String, String> kv, String key, int dflt) {
        String v = kv.remove(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("--workload: " + key + " '" + v + "' is not a whole number");
        }
    }

    private static Map<String, Double> faults(String v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String f : v.split("\\+")) {
            int colon = f.indexOf(':');
            String kind = (colon < 0 ? f : f.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
            if (!FAULT_KINDS.contains(kind)) {
                throw new ConfigException("--workload: fault '" + kind + "' is not one of " + new java.util.TreeSet<>(FAULT_KINDS));
            }
            double p;
            try {
                p = colon < 0 ? 0.1 : Double.parseDouble(f.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("--workload: fault " + kind + ": '" + f.substring(colon + 1) + "' is not a probability");
            }
            if (!(p > 0 && p <= 1)) {
                throw new ConfigException("--workload: fault " + kind + ": probability " + p + " is outside (0, 1]");
            }
            m.put(kind, p);
        }
        return m;
    }

    /** The spec that parses back to this workload (for the replay command line). */
    public String toSpec() {
        StringBuilder b = new StringBuilder("reads=" + reads + ",writes=" + writes + ",aborts=" + aborts + ",resets="
                + resets + ",qd=" + qd + ",luns=" + luns + ",blocks=" + blocks + ",regions=" + regions);
        if (!faults.isEmpty()) {
            List<String> fs = new ArrayList<>();
            new java.util.TreeMap<>(faults).forEach((k, p) -> fs.add(k + ":" + p));
            b.append(",faults=").append(String.join("+", fs));
        }
        return b.toString();
    }

    /** The faults as specs, their triggers seeded from {@code seed} so a schedule's seed names its faults too. */
    public List<FaultSpec> faultSpecs(long seed) {
        List<FaultSpec> l = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(faults).entrySet()) {
            String delay = FaultKind.ofCliName(e.getKey()).required().contains("delay-ms") ? ",delay-ms=1" : "";
            l.add(FaultSpecParser.parse(e.getKey() + ",probability=" + e.getValue() + ",seed=" + (seed * 31 + i++) + delay));
        }
        return l;
    }

    /** A rough count of the steps one run takes, for PCT's change points. */
    public long estimatedSteps() {
        return 120L * (reads + writes) + 2000L;
    }
}
