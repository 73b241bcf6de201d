package io.vhba.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into its instructions, enough to check it without a Docker engine:
 * comment lines are dropped (also inside a continuation) and backslash continuations joined.
 */
record Dockerfile(List<Instruction> instructions) {

    /** One instruction: the keyword in upper case and the rest of its (joined) text. */
    record Instruction(int line, String keyword, String arguments) {}

    static Dockerfile read(Path path) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        List<String> lines = Files.readAllLines(path);
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) { // Docker skips both, also inside a continuation
                continue;
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                out.add(parse(start, pending.toString().strip()));
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException(path + " line " + start + ": continuation runs past the end of the file");
        }
        return new Dockerfile(List.copyOf(out));
    }

    private static Instruction parse(int line, String text) {
        int space = text.indexOf(' ');
        return space < 0 ? new Instruction(line, text.toUpperCase(Locale.ROOT), "")
                : new Instruction(line, text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip());
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The build stages, each from its FROM up to the next one (the instructions before the first FROM, such as ARG, dropped). */
    List<Dockerfile> stages() {
        List<Dockerfile> out = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                current = new ArrayList<>();
                out.add(new Dockerfile(current));
            }
            if (current != null) {
                current.add(i);
            }
        }
        return out.stream().map(d -> new Dockerfile(List.copyOf(d.instructions()))).toList();
    }

    /** This stage's FROM image, without an {@code AS name}. */
    String baseImage() {
        return last("FROM").arguments().split("\\s+")[0];
    }

    /** This stage's name ({@code FROM image AS name}), or null. */
    String stageName() {
        String[] words = last("FROM").arguments().split("\\s+");
        return words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
    }

    /** The last one counts for USER, ENTRYPOINT, HEALTHCHECK. */
    Instruction last(String keyword) {
        List<Instruction> l = all(keyword);
        if (l.isEmpty()) {
            throw new AssertionError("no " + keyword + " instruction");
        }
        return l.get(l.size() - 1);
    }
}
