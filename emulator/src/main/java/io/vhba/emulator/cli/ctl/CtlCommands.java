package io.vhba.emulator.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The one-level {@code vhba ctl} commands: status, luns, sessions, resize, restart, operations. */
final class CtlCommands {
    private CtlCommands() {}

    @Command(name = "status", description = "Version, health, and each adapter's state and counters. Exit 1 when unhealthy.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Override
        public Integer call() {
            CtlClient c = ctl.client();
            JsonNode version = c.get("version");
            CtlClient.Reply health = c.send("GET", "health", null);
            if (health.status() != 200 && health.status() != 503) {
                throw new CtlException(CtlException.SERVER_ERROR, CtlClient.message(health));
            }
            JsonNode adapters = c.get("adapters");
            ObjectNode all = CtlClient.JSON.createObjectNode();
            all.set("version", version);
            all.set("health", health.body());
            all.set("adapters", adapters);
            String state = health.body().path("status").asText();
            StringBuilder text = new StringBuilder("vHBA " + version.path("version").asText() + ": " + state
                    + (health.body().hasNonNull("reason") ? " (" + health.body().get("reason").asText() + ")" : "") + "\n");
            Table t = new Table("ADAPTER", "TARGET", "STATE", "LUNS", "BUGCHECKS", "SUBMITTED", "COMPLETED", "TIMEOUTS",
                    "INTERRUPTS");
            for (JsonNode a : adapters) {
                t.row(a.path("name").asText(), a.path("target").asText("-"), a.path("state").asText(), join(a.path("luns")),
                        a.path("bugChecks").asLong(), a.path("counters").path("submitted").asLong(),
                        a.path("counters").path("requestCompletes").asLong(), a.path("counters").path("timeouts").asLong(),
                        a.path("interrupts").asLong());
            }
            ctl.print(all, text.append(t));
            if (health.status() != 200) {
                throw new CtlException(CtlException.SERVER_ERROR, "503: " + health.body().path("reason").asText());
            }
            return 0;
        }
    }

    @Command(name = "luns", description = "The LUNs of every target (or of IQN): size, block size, flags, outstanding requests.")
    static final class Luns implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Parameters(arity = "0..1", paramLabel = "IQN", description = "Only this target.")
        String iqn;

        @Override
        public Integer call() {
            CtlClient c = ctl.client();
            List<String> iqns = new ArrayList<>();
            if (iqn != null) {
                iqns.add(iqn);
            } else {
                c.get("targets").forEach(t -> iqns.add(t.path("iqn").asText()));
            }
            ArrayNode all = CtlClient.JSON.createArrayNode();
            Table t = new Table("TARGET", "LUN", "SIZE", "BLOCK", "PHYSICAL", "FLAGS", "FILE", "OUTSTANDING", "OPERATION");
            for (String name : iqns) {
                JsonNode luns = c.get("targets/" + CtlClient.segment(name) + "/luns");
                all.addObject().put("target", name).set("luns", luns);
                for (JsonNode l : luns) {
                    JsonNode op = l.path("operation");
                    t.row(name, l.path("lun").asInt(), l.path("size").asText(), l.path("blockSize").asInt(),
                            l.path("physicalBlockSize").asInt(), flags(l), l.path("file").asText("-"),
                            l.path("outstanding").asInt(),
                            op.isMissingNode() || op.isNull() ? "-" : op.path("operation").asText() + " " + op.path("percent").asText() + "%");
                }
            }
            return ctl.print(all, t);
        }

        private static String flags(JsonNode l) {
            List<String> f = new ArrayList<>();
            f.add(l.path("readOnly").asBoolean() ? "ro" : "rw");
            f.add(l.path("thin").asBoolean() ? "thin" : "thick");
            if (l.path("removable").asBoolean()) {
                f.add("removable");
            }
            return String.join(",", f);
        }
    }

    @Command(name = "sessions", description = "The live iSCSI sessions.")
    static final class Sessions implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Override
        public Integer call() {
            JsonNode sessions = ctl.client().get("sessions");
            Table t = new Table("TSIH", "ISID", "INITIATOR", "TARGET", "TYPE", "PORTAL", "REMOTE", "LOGIN", "COMMANDS");
            for (JsonNode s : sessions) {
                t.row(s.path("tsih").asInt(), s.path("isid").asText(), s.path("initiator").asText(),
                        s.path("target").asText("-"), s.path("type").asText(), s.path("portal").asText("-"),
                        s.path("remoteAddress").asText("-"), s.path("loginTime").asText(), s.path("commands").asLong());
            }
            return ctl.print(sessions, t);
        }
    }

    @Command(name = "resize", description = "Change a LUN's capacity; initiators see CAPACITY DATA HAS CHANGED.")
    static final class Resize implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Parameters(index = "0", paramLabel = "IQN")
        String iqn;

        @Parameters(index = "1", paramLabel = "LUN")
        int lun;

        @Parameters(index = "2", paramLabel = "SIZE", description = "e.g. 2G, 512M, or bytes.")
        String size;

        @Override
        public Integer call() {
            JsonNode l = ctl.client().put("targets/" + CtlClient.segment(iqn) + "/luns/" + lun + "/size", Map.of("size", size));
            return ctl.print(l, iqn + " LUN " + lun + ": " + l.path("size").asText() + " (" + l.path("sizeBytes").asLong()
                    + " bytes)\n");
        }
    }

    @Command(name = "restart", description = "Restart an adapter (ScsiStopAdapter, ScsiRestartAdapter) once its requests drain.")
    static final class Restart implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Parameters(paramLabel = "ADAPTER", description = "e.g. mailbox0 (see status).")
        String adapter;

        @Override
        public Integer call() {
            JsonNode r = ctl.client().post("adapters/" + CtlClient.segment(adapter) + "/restart", Map.of());
            return ctl.print(r, "adapter " + adapter + " restarted: " + r.path("state").asText() + "\n");
        }
    }

    @Command(name = "operations", description = "Resizes, LUN changes and SANITIZE/FORMAT UNIT, with their progress.")
    static final class OperationsList implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Override
        public Integer call() {
            JsonNode ops = ctl.client().get("operations");
            Table t = new Table("ID", "KIND", "TARGET", "LUN", "STATE", "PERCENT", "STARTED", "DETAIL");
            for (JsonNode o : ops) {
                t.row(o.path("id").asText(), o.path("kind").asText(), o.path("target").asText(), o.path("lun").asInt(),
                        o.path("state").asText(), o.path("percent").asText(), o.path("started").asText("-"),
                        o.path("detail").asText());
            }
            return ctl.print(ops, t);
        }
    }

    static String join(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l.isEmpty() ? "-" : String.join(",", l);
    }
}
