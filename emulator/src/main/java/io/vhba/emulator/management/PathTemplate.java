package io.vhba.emulator.management;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource path with variables, {@code /targets/{iqn}/luns/{lun}}: literal segments match exactly, a
 * {@code {name}} segment matches any one non-empty segment and binds it, percent-decoded (an IQN's colons may come
 * encoded or not). A trailing slash is ignored.
 */
public final class PathTemplate {
    private final String text;
    private final List<String> segments;

    private PathTemplate(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    public static PathTemplate of(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        List<String> s = split(template);
        for (String seg : s) {
            if (seg.contains("{") && !isVariable(seg)) {
                throw new IllegalArgumentException("a variable is a whole segment, {name}: " + template);
            }
        }
        return new PathTemplate(template, s);
    }

    /** The variables bound by matching {@code rawPath} (not yet decoded), or empty when it does not match. */
    public Optional<Map<String, String>> match(String rawPath) {
        List<String> parts = split(rawPath);
        if (parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String t = segments.get(i);
            String decoded = decode(parts.get(i));
            if (decoded == null) {
                return Optional.empty();
            }
            if (isVariable(t)) {
                if (decoded.isEmpty()) {
                    return Optional.empty();
                }
                vars.put(t.substring(1, t.length() - 1), decoded);
            } else if (!t.equals(decoded)) {
                return Optional.empty();
            }
        }
        return Optional.of(vars);
    }

    private static boolean isVariable(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        List<String> l = new ArrayList<>();
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return l;
        }
        for (String s : p.split("/", -1)) {
            l.add(s);
        }
        return l;
    }

    /** Percent-decoding of one path segment ('+' is a plus sign in a path); null when malformed. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
