package io.vhba.docker;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found without a full parser: string literals,
 * label matchers, ranges and grouping clauses are blanked first, then every identifier that is not
 * a function call, a keyword or part of a number is a metric name. A Grafana variable only ever
 * appears inside those blanked parts ({@code [$__rate_interval]}, {@code target=~"$target"}).
 *
 * @param names every metric name the expression selects, as written ({@code _bucket} and all)
 * @param rated those it takes {@code rate}, {@code irate} or {@code increase} of: they must be counters
 */
record PromQl(Set<String> names, Set<String> rated) {
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern RATE = Pattern.compile("\\b(?:rate|irate|increase)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN");

    static PromQl of(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll("{}");
        s = RANGES.matcher(s).replaceAll("[]");
        s = GROUPING.matcher(s).replaceAll("");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!call && !KEYWORDS.contains(id)) {
                names.add(id);
            }
        }
        Set<String> rated = new TreeSet<>();
        Matcher r = RATE.matcher(s);
        while (r.find()) {
            rated.add(r.group(1));
        }
        return new PromQl(names, rated);
    }
}
