package io.vhba.emulator.config;

import java.util.Locale;

/** Byte sizes as users write them: {@code 512}, {@code 64M}, {@code 1G}, {@code 2T} (binary multiples). */
public final class Sizes {
    private Sizes() {}

    public static long parse(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(what + ": a size is required (e.g. 64M, 1G)");
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": '" + text + "' is not a size (use e.g. 512, 64M, 1G, 2T)");
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new ConfigException(what + ": '" + text + "' is out of range");
        }
        return n << shift;
    }

    public static String format(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P"};
        int u = 0;
        while (u < units.length - 1 && bytes % 1024 == 0 && bytes >= 1024) {
            bytes /= 1024;
            u++;
        }
        return bytes + units[u];
    }
}
