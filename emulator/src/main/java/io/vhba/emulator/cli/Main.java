package io.vhba.emulator.cli;

import io.vhba.emulator.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar vhba.jar}: the command-line entry point. */
@Command(name = "vhba", mixinStandardHelpOptions = true, version = "vHBA 0.1.0",
        description = "A virtual SCSI HBA: an iSCSI target backed by an emulated Storport port driver.",
        subcommands = {ServeCommand.class, ReplayCommand.class, ExploreCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 2 bad usage or configuration). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        ServeCommand.describeFaults(cl.getSubcommands().get("serve"));
        cl.setParameterExceptionHandler((ex, a) -> {
            // One line naming the problem, then where to look: no usage dump for a typo.
            System.err.println("vhba: " + ex.getMessage());
            System.err.println("vhba: try 'java -jar vhba.jar " + (ex.getCommandLine().getCommandName().equals("vhba") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof ConfigException) {
                System.err.println("vhba: error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }
}
