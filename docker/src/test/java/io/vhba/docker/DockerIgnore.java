package io.vhba.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A .dockerignore read the way Docker reads it (moby's patternmatcher): one pattern a line, {@code #}
 * comments, a leading {@code /} dropped, {@code *} and {@code ?} within one path element, {@code **} across
 * any number of them, {@code !} re-including, the last matching line deciding. A path is excluded when a
 * pattern matches it or one of its parent directories.
 */
record DockerIgnore(List<String> patterns) {

    static DockerIgnore read(Path file) throws IOException {
        return new DockerIgnore(Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.startsWith("/") ? l.substring(1) : l)
                .toList());
    }

    /** Whether the build context leaves out {@code path}, relative to the context root with {@code /} separators. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (String p : patterns) {
            boolean reinclude = p.startsWith("!");
            Pattern glob = regex(reinclude ? p.substring(1) : p);
            if (matchesItOrAParent(glob, path)) {
                excluded = !reinclude;
            }
        }
        return excluded;
    }

    private static boolean matchesItOrAParent(Pattern glob, String path) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (glob.matcher(path.substring(0, slash)).matches()) {
                return true;
            }
        }
        return glob.matcher(path).matches();
    }

    private static Pattern regex(String glob) {
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                r.append("(?:.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                r.append(".*");
                i++;
            } else if (c == '*') {
                r.append("[^/]*");
            } else if (c == '?') {
                r.append("[^/]");
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(r.toString());
    }
}
