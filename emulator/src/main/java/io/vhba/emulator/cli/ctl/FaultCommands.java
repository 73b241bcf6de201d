package io.vhba.emulator.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vhba ctl fault add SPEC | list | clear [ID]}. */
@Command(name = "fault", description = "Install, list and remove faults (the serve --fault grammar).",
        subcommands = {FaultCommands.Add.class, FaultCommands.ListFaults.class, FaultCommands.Clear.class})
final class FaultCommands {
    @ParentCommand
    CtlCommand ctl;

    @Command(name = "add", description = "Install a fault, e.g. medium-error,lun=0,lba=2048-2055.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        FaultCommands fault;

        @Parameters(paramLabel = "SPEC")
        String spec;

        @Override
        public Integer call() {
            JsonNode f = fault.ctl.client().post("faults", Map.of("spec", spec));
            return fault.ctl.print(f, "fault " + f.path("id").asLong() + " added: " + f.path("spec").asText() + "\n");
        }
    }

    @Command(name = "list", description = "The installed faults and how often each fired.")
    static final class ListFaults implements Callable<Integer> {
        @ParentCommand
        FaultCommands fault;

        @Override
        public Integer call() {
            JsonNode faults = fault.ctl.client().get("faults");
            Table t = new Table("ID", "SPEC", "FIRED", "EXHAUSTED");
            for (JsonNode f : faults) {
                t.row(f.path("id").asLong(), f.path("spec").asText(), f.path("fired").asLong(),
                        f.path("exhausted").asBoolean() ? "yes" : "no");
            }
            return fault.ctl.print(faults, t);
        }
    }

    @Command(name = "clear", description = "Remove fault ID, or every fault.")
    static final class Clear implements Callable<Integer> {
        @ParentCommand
        FaultCommands fault;

        @Parameters(arity = "0..1", paramLabel = "ID")
        Long id;

        @Override
        public Integer call() {
            CtlClient c = fault.ctl.client();
            if (id != null) {
                c.delete("faults/" + id);
                return fault.ctl.print(CtlClient.JSON.valueToTree(Map.of("removed", 1)), "fault " + id + " removed\n");
            }
            JsonNode r = c.delete("faults");
            return fault.ctl.print(r, "removed " + r.path("removed").asInt() + " fault(s)\n");
        }
    }
}
