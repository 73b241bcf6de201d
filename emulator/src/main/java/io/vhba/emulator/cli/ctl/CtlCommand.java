package io.vhba.emulator.cli.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vhba.emulator.config.HttpConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vhba ctl}: drives a running vHBA through its management API. Tables by default, the API's JSON with
 * {@code --json}. Exit status: 0 done, 1 the server answered an error (its message on standard error), 2 bad usage
 * or the server could not be reached.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Drive a running vHBA (serve --http) through its management API.",
        subcommands = {CtlCommands.Status.class, CtlCommands.Luns.class, CtlCommands.Sessions.class,
                FaultCommands.class, CtlCommands.Resize.class, LunCommands.class, CtlCommands.Restart.class,
                CtlCommands.OperationsList.class},
        footer = {"", "Exit status: 0 done, 1 the server answered an error, 2 bad usage or the server is unreachable.",
                "", "Examples (API=http://127.0.0.1:9260, the line serve --http printed):",
                "  vhba ctl --url $API status",
                "  vhba ctl --url $API fault add medium-error,lun=0,lba=2048-2055",
                "  vhba ctl --url $API resize iqn.2026-11.io.vhba:disk0 0 2G",
                "  vhba ctl --url $API lun add iqn.2026-11.io.vhba:disk0 3,size=64M"})
public final class CtlCommand {

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The API, as serve printed it: http://HOST:PORT.")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "First line: the bearer token (else env " + HttpConfig.TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = "--json", description = "Print the API's JSON instead of tables.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Where the token comes from when no file is given; the process environment unless a test says otherwise. */
    static Function<String, String> environment = System::getenv;

    CtlClient client() {
        URI base;
        try {
            base = new URI(url.endsWith("/") ? url : url + "/");
        } catch (URISyntaxException e) {
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "--url '" + url + "' is not a URL");
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "--url '" + url + "' is not http://HOST:PORT");
        }
        return new CtlClient(base, token());
    }

    private String token() {
        if (tokenFile != null) {
            try {
                List<String> lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isBlank()) {
                    throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "--token-file " + tokenFile + ": the first line is empty");
                }
                return lines.get(0).trim();
            } catch (IOException e) {
                throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "--token-file " + tokenFile + ": cannot read it");
            }
        }
        String v = environment.apply(HttpConfig.TOKEN_ENV);
        return v == null || v.isBlank() ? null : v.trim();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** {@code --json}: the value as the API gave it (pretty); otherwise the table. */
    int print(JsonNode value, Object table) {
        if (json) {
            try {
                out().println(CtlClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out().print(table);
        }
        out().flush();
        return 0;
    }
}
