package io.vhba.emulator.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vhba.emulator.cli.LunSpec;
import io.vhba.emulator.config.LunConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vhba ctl lun add IQN N,key=value... | remove IQN LUN}: hot add and remove, in the grammar of serve --lun. */
@Command(name = "lun", description = "Add a LUN to a running target, or remove one.",
        subcommands = {LunCommands.Add.class, LunCommands.Remove.class})
final class LunCommands {
    @ParentCommand
    CtlCommand ctl;

    @Command(name = "add", description = "Add LUN SPEC (" + LunSpec.GRAMMAR + ") to target IQN.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        LunCommands lun;

        @Parameters(index = "0", paramLabel = "IQN")
        String iqn;

        @Parameters(index = "1", paramLabel = "SPEC", description = "As serve --lun: e.g. 3,size=64M,read-only.")
        String spec;

        @Override
        public Integer call() {
            LunConfig lc = LunSpec.parse(spec); // a bad spec is a usage error (exit 2), found before any request
            JsonNode l = lun.ctl.client().post("targets/" + CtlClient.segment(iqn) + "/luns", lc);
            return lun.ctl.print(l, iqn + " LUN " + l.path("lun").asInt() + " added: " + l.path("size").asText() + "\n");
        }
    }

    @Command(name = "remove", description = "Remove LUN from target IQN; initiators see REPORTED LUNS DATA HAS CHANGED.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        LunCommands lun;

        @Parameters(index = "0", paramLabel = "IQN")
        String iqn;

        @Parameters(index = "1", paramLabel = "LUN")
        int number;

        @Override
        public Integer call() {
            lun.ctl.client().delete("targets/" + CtlClient.segment(iqn) + "/luns/" + number);
            return lun.ctl.print(CtlClient.JSON.valueToTree(Map.of("removed", number)), iqn + " LUN " + number + " removed\n");
        }
    }
}
