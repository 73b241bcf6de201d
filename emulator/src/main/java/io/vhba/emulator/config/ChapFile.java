package io.vhba.emulator.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CHAP credentials file ({@code serve --discovery-chap-file}): line 1 {@code user:secret}, what initiators must
 * answer; an optional line 2 {@code user:secret} with which the target answers an initiator that authenticates it
 * (mutual CHAP). The user ends at the first colon, so a secret may contain colons. Blank lines and lines starting
 * with {@code #} are skipped. Errors name the file and the line, never a secret.
 */
public final class ChapFile {
    private ChapFile() {}

    public static ChapConfig read(String what, Path file) {
        String text = Secrets.readText(what, file);
        List<String[]> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new ConfigException(what + ": " + file + " line " + (i + 1) + " is not user:secret");
            }
            if (entries.size() == 2) {
                throw new ConfigException(what + ": " + file + " line " + (i + 1)
                        + ": only two entries (the initiator's, then the target's for mutual CHAP) are allowed");
            }
            String where = what + " (" + file + " line " + (i + 1) + ")";
            entries.add(new String[] {line.substring(0, colon), Secrets.checked(where, line.substring(colon + 1))});
        }
        if (entries.isEmpty()) {
            throw new ConfigException(what + ": " + file + " holds no user:secret line");
        }
        String[] one = entries.get(0);
        String[] two = entries.size() > 1 ? entries.get(1) : new String[] {null, null};
        ChapConfig c = new ChapConfig(one[0], one[1], two[0], two[1]);
        c.validate(what);
        return c;
    }
}
