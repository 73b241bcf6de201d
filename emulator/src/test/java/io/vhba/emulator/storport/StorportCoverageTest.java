package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.NotificationType;
import io.vhba.miniport.StorPortFunctionCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/storport-coverage.md against the engine: a notification type or extended-function code
 * is listed as implemented exactly when the engine has a handler for it, and every other one
 * fails loudly, naming the routine.
 */
class StorportCoverageTest extends EngineFixture {

    private static List<String> section(String heading) throws Exception {
        Path doc = Path.of("..", "docs", "storport-coverage.md");
        if (!Files.exists(doc)) {
            doc = Path.of("docs", "storport-coverage.md");
        }
        List<String> lines = Files.readAllLines(doc);
        int from = lines.indexOf("## " + heading);
        assertThat(from).as("section " + heading).isNotNegative();
        int to = from + 1;
        while (to < lines.size() && !lines.get(to).startsWith("## ")) {
            to++;
        }
        return lines.subList(from + 1, to);
    }

    private static String state(List<String> rows, String token) {
        for (String r : rows) {
            if (r.contains(token)) {
                String[] cols = r.split("\\|");
                for (String c : cols) {
                    String t = c.trim();
                    if (t.startsWith("implemented")) {
                        return "implemented";
                    }
                    if (t.startsWith("out of scope")) {
                        return "out of scope";
                    }
                }
                throw new AssertionError("no state in the row for " + token + ": " + r);
            }
        }
        throw new AssertionError(token + " is missing from docs/storport-coverage.md");
    }

    @Test
    void everyExtendedFunctionCodeIsListedAsTheEngineTreatsIt() throws Exception {
        start();
        List<String> rows = section("Routines");
        ExtendedFunctions table = new ExtendedFunctions(engine, ext().port);
        for (StorPortFunctionCode code : StorPortFunctionCode.values()) {
            String s = state(rows, "`" + code.routine() + "`");
            assertThat(s).as(code.routine()).isEqualTo(table.implemented(code) ? "implemented" : "out of scope");
            if (!table.implemented(code)) {
                assertThatThrownBy(() -> ext().port.extendedFunction(code, ext()))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(code.routine());
            }
        }
    }

    @Test
    void everyNotificationTypeIsListedAsTheEngineTreatsIt() throws Exception {
        start();
        List<String> rows = section("StorPortNotification types");
        Notifications table = new Notifications(engine);
        for (NotificationType t : NotificationType.values()) {
            String s = state(rows, "| `" + t.name() + "` |");
            assertThat(s).as(t.name()).isEqualTo(table.handles(t) ? "implemented" : "out of scope");
            if (!table.handles(t)) {
                assertThatThrownBy(() -> ext().port.notification(t, ext()))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(t.name());
            }
        }
    }
}
