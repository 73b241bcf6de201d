package io.vhba.emulator.cli;

import io.vhba.emulator.cli.ctl.CtlCommand;
import io.vhba.emulator.cli.ctl.CtlException;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.runtime.VhbaVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar vhba.jar}: the command-line entry point. */
@Command(name = "vhba", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A virtual SCSI HBA: an iSCSI target backed by an emulated Storport port driver.",
        subcommands = {ServeCommand.class, CtlCommand.class, ReplayCommand.class, ExploreCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // Only the real process tunes its JVM; the in-process runs of tests leave theirs alone.
        ServeCommand.tuneJvm = true;
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 the management API answered an error, 2 bad usage or configuration). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, writing to {@code out} and {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        ServeCommand.describeFaults(cl.getSubcommands().get("serve"));
        ServeCommand.listDrivers(cl.getSubcommands().get("serve"));
        cl.setParameterExceptionHandler((ex, a) -> {
            // One line naming the problem, then where to look: no usage dump for a typo.
            String name = ex.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^vhba ?", "");
            err.println("vhba: " + ex.getMessage());
            err.println("vhba: try 'java -jar vhba.jar " + (name.isEmpty() ? "" : name + " ") + "--help'");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof ConfigException) {
                err.println("vhba: error: " + ex.getMessage());
                err.flush();
                return 2;
            }
            if (ex instanceof CtlException ce) {
                err.println("vhba ctl: " + ce.getMessage());
                err.flush();
                return ce.exitCode();
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** {@code --version}: the project version the build recorded. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vHBA " + VhbaVersion.get()};
        }
    }
}
