package io.vhba.emulator.fault;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses the command line's fault grammar, {@value #GRAMMAR}: for example
 * {@code medium-error,lun=0,lba=2048-2055} or {@code never-complete,lun=0,count=1}. Every
 * mistake is a {@link FaultSpecException} with a one-line message naming it.
 */
public final class FaultSpecParser {
    public static final String GRAMMAR = "KIND[,adapter=NAME][,lun=N][,once|count=N|every=N|probability=P[,seed=S]][,PARAM=VALUE...]";

    /** Keys that aim a fault. */
    private static final Set<String> AIM_KEYS = Set.of("adapter", "lun");
    /** Keys that choose the trigger; {@code once} takes no value. */
    private static final Set<String> TRIGGER_KEYS = Set.of("once", "count", "every", "probability");

    private FaultSpecParser() {}

    /** The grammar and the kinds, for {@code --help}. */
    public static String help() {
        StringBuilder b = new StringBuilder();
        b.append("Fault spec: ").append(GRAMMAR).append('\n');
        b.append("  Aim: lun=N (with adapter=NAME: on one adapter), adapter=NAME (a controller); neither: every adapter.\n");
        b.append("  Trigger: once | count=N (first N) | every=N (each Nth) | probability=P,seed=S (seeded, repeatable).\n");
        b.append("  A trigger counts commands (interrupt signals for interrupt-*, transfers for dma-*);\n");
        b.append("  link-down, link-up and bus-reset fire when a command reaches the port.\n");
        b.append("  Default trigger: once for link-down, link-up, bus-reset; every=1 otherwise.\n");
        b.append("  Kinds:\n");
        for (FaultKind k : FaultKind.values()) {
            String params = k.required().stream().map(p -> p + "=" + placeholder(p)).collect(Collectors.joining(","));
            String opt = k.optional().stream().map(p -> "[" + p + "=" + placeholder(p) + "]").collect(Collectors.joining(","));
            String all = params.isEmpty() ? opt : opt.isEmpty() ? params : params + "," + opt;
            b.append("    ").append(k.cliName()).append(all.isEmpty() ? "" : "," + all).append(k.lunAimable() ? "" : "  (no lun=)")
                    .append(": ").append(k.description()).append('\n');
        }
        b.append("  Sense key, ASC and ASCQ are hexadecimal, as in the T10 tables (key=3,asc=11,ascq=00).");
        return b.toString();
    }

    private static String placeholder(String param) {
        return switch (param) {
            case "lba" -> "FIRST[-LAST]";
            case "key" -> "K";
            case "asc", "ascq" -> "HH";
            default -> "N";
        };
    }

    public static FaultSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new FaultSpecException("empty fault spec; expected " + GRAMMAR);
        }
        String[] items = spec.trim().split(",", -1);
        FaultKind kind = FaultKind.ofCliName(items[0].trim().toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new FaultSpecException("unknown fault kind '" + items[0].trim() + "'; one of: "
                    + Arrays.stream(FaultKind.values()).map(FaultKind::cliName).collect(Collectors.joining(", ")));
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                throw new FaultSpecException(kind.cliName() + ": empty item at position " + (i + 1));
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1).trim();
            if (eq < 0 && !key.equals("once")) {
                throw new FaultSpecException(kind.cliName() + ": '" + item + "' is not key=value");
            }
            if (eq >= 0 && key.equals("once")) {
                throw new FaultSpecException(kind.cliName() + ": once takes no value");
            }
            if (!AIM_KEYS.contains(key) && !TRIGGER_KEYS.contains(key) && !key.equals("seed")
                    && !kind.required().contains(key) && !kind.optional().contains(key)) {
                throw new FaultSpecException(kind.cliName() + " takes no " + key + "=" + keysOf(kind));
            }
            if (kv.containsKey(key)) {
                throw new FaultSpecException(kind.cliName() + ": " + key + " given twice");
            }
            kv.put(key, value);
        }
        for (String r : kind.required()) {
            if (!kv.containsKey(r)) {
                throw new FaultSpecException(kind.cliName() + " needs " + r + "=" + placeholder(r));
            }
        }
        FaultTarget target = new FaultTarget(kv.get("adapter"), kv.containsKey("lun") ? (int) number(kind, "lun", kv.get("lun"), 0, 16383) : null);
        if (target.adapter() != null && target.adapter().isEmpty()) {
            throw new FaultSpecException(kind.cliName() + ": adapter= needs a name");
        }
        Trigger trigger = trigger(kind, kv);
        LbaRange lbas = kv.containsKey("lba") ? lbaRange(kind, kv.get("lba")) : null;
        long delay = kv.containsKey("delay-ms") ? number(kind, "delay-ms", kv.get("delay-ms"), 1, 3_600_000) : 0;
        long duration = kv.containsKey("duration-ms") ? number(kind, "duration-ms", kv.get("duration-ms"), 1, 3_600_000) : 0;
        SenseData sense = kind == FaultKind.SENSE ? sense(kind, kv) : null;
        return new FaultSpec(kind, target, trigger, lbas, delay, duration, sense);
    }

    private static String keysOf(FaultKind k) {
        String own = k.required().isEmpty() && k.optional().isEmpty() ? "none"
                : java.util.stream.Stream.concat(k.required().stream(), k.optional().stream()).sorted().collect(Collectors.joining(", "));
        return " (its parameters: " + own + ")";
    }

    private static Trigger trigger(FaultKind kind, Map<String, String> kv) {
        long given = TRIGGER_KEYS.stream().filter(kv::containsKey).count();
        if (given > 1) {
            throw new FaultSpecException(kind.cliName() + ": give one trigger (once, count=, every= or probability=)");
        }
        if (kv.containsKey("seed") && !kv.containsKey("probability")) {
            throw new FaultSpecException(kind.cliName() + ": seed= goes with probability=");
        }
        if (kv.containsKey("once")) {
            return new Trigger.Once();
        }
        if (kv.containsKey("count")) {
            return new Trigger.Times(number(kind, "count", kv.get("count"), 1, Long.MAX_VALUE));
        }
        if (kv.containsKey("every")) {
            return new Trigger.Every(number(kind, "every", kv.get("every"), 1, Long.MAX_VALUE));
        }
        if (kv.containsKey("probability")) {
            double p;
            try {
                p = Double.parseDouble(kv.get("probability"));
            } catch (NumberFormatException e) {
                throw new FaultSpecException(kind.cliName() + ": probability '" + kv.get("probability") + "' is not a number");
            }
            if (!(p >= 0 && p <= 1)) {
                throw new FaultSpecException(kind.cliName() + ": probability " + kv.get("probability") + " is outside 0..1");
            }
            long seed = kv.containsKey("seed") ? number(kind, "seed", kv.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE) : 0;
            return new Trigger.Probability(p, seed);
        }
        return null; // the kind's default
    }

    private static LbaRange lbaRange(FaultKind kind, String v) {
        int dash = v.indexOf('-');
        long first = number(kind, "lba", dash < 0 ? v : v.substring(0, dash), 0, Long.MAX_VALUE);
        long last = dash < 0 ? first : number(kind, "lba", v.substring(dash + 1), 0, Long.MAX_VALUE);
        if (last < first) {
            throw new FaultSpecException(kind.cliName() + ": lba range " + v + " ends before it starts");
        }
        return new LbaRange(first, last);
    }

    private static SenseData sense(FaultKind kind, Map<String, String> kv) {
        int key = (int) hex(kind, "key", kv.get("key"), 0xF);
        int asc = (int) hex(kind, "asc", kv.get("asc"), 0xFF);
        int ascq = kv.containsKey("ascq") ? (int) hex(kind, "ascq", kv.get("ascq"), 0xFF) : 0;
        SenseKey senseKey;
        try {
            senseKey = SenseKey.of(key);
        } catch (IllegalArgumentException e) {
            throw new FaultSpecException(kind.cliName() + ": sense key " + kv.get("key") + " is reserved");
        }
        for (AdditionalSense a : AdditionalSense.values()) {
            if (a.asc() == asc && a.ascq() == ascq) {
                return SenseData.of(senseKey, a);
            }
        }
        throw new FaultSpecException(String.format("%s: ASC/ASCQ %02X/%02X is not an additional sense code vHBA models",
                kind.cliName(), asc, ascq));
    }

    private static long hex(FaultKind kind, String key, String v, long max) {
        String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        long n;
        try {
            n = Long.parseLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new FaultSpecException(kind.cliName() + ": " + key + " '" + v + "' is not hexadecimal");
        }
        if (n < 0 || n > max) {
            throw new FaultSpecException(kind.cliName() + ": " + key + " " + v + " is outside 0.." + Long.toHexString(max).toUpperCase(Locale.ROOT));
        }
        return n;
    }

    private static long number(FaultKind kind, String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new FaultSpecException(kind.cliName() + ": " + key + " '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new FaultSpecException(kind.cliName() + ": " + key + " " + v + " is outside " + min + ".." + max);
        }
        return n;
    }
}
