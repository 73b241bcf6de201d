package io.vhba.emulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.ConfigLoader;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --http}, {@code --http-token-file}, {@code --stats}, and the YAML {@code http:} block. */
class ServeCommandHttpTest {
    @TempDir
    Path dir;

    private static ServeCommand parse(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    private record Run(int exit, String out, String err) {}

    private static Run main(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theApiIsOffUnlessAskedFor() {
        assertThat(parse().toConfig().http()).isNull();
        VhbaConfig c = parse("--http", "127.0.0.1:0").toConfig();
        assertThat(c.http()).isEqualTo(new HttpConfig("127.0.0.1:0", null));
        assertThat(parse("--http", "[::1]:9260", "--http-token-file", "/run/secrets/t").toConfig().http())
                .isEqualTo(new HttpConfig("[::1]:9260", "/run/secrets/t"));
    }

    @Test
    void aTokenFileWithoutAnAddressIsRefused() {
        assertThatThrownBy(() -> parse("--http-token-file", "/t").toConfig()).isInstanceOf(ConfigException.class)
                .hasMessage("--http-token-file needs --http HOST:PORT (or http.listen in the configuration)");
    }

    @Test
    void theConfigurationFileHasAnHttpBlockTheOptionsOverride() throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), "http: {listen: \"127.0.0.1:9261\", tokenFile: /etc/vhba/token}\n");
        assertThat(ConfigLoader.load(f).http()).isEqualTo(new HttpConfig("127.0.0.1:9261", "/etc/vhba/token"));
        assertThat(parse("--config", f.toString()).toConfig().http()).isEqualTo(new HttpConfig("127.0.0.1:9261", "/etc/vhba/token"));
        assertThat(parse("--config", f.toString(), "--http", "127.0.0.1:0").toConfig().http())
                .isEqualTo(new HttpConfig("127.0.0.1:0", "/etc/vhba/token"));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "http: {listen: \"nowhere\"}\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad)).hasMessageContaining("http.listen: 'nowhere' is not HOST:PORT");
    }

    @Test
    void statsTakesAnIntervalInSecondsOrWithAUnit() {
        assertThat(parse("--stats", "5s").stats).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("--stats", "10").stats).isEqualTo(Duration.ofSeconds(10));
        assertThat(parse("--stats", "500ms").stats).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("--stats", "1m").stats).isEqualTo(Duration.ofMinutes(1));
        Run bad = main("serve", "--stats", "5x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("vhba: Invalid value for option '--stats': '5x' is not an interval (5s, 500ms, 1m, or seconds)");
        assertThat(main("serve", "--stats", "10ms").err()).contains("'10ms' is shorter than 100ms");
    }

    @Test
    void aNonLoopbackApiWithoutATokenStopsServeWithOneLineAndExit2() {
        assumeTrue(System.getenv(HttpConfig.TOKEN_ENV) == null, HttpConfig.TOKEN_ENV + " is set in this environment");
        Run r = main("serve", "--listen", "127.0.0.1:0", "--http", "0.0.0.0:0", "--size", "16M");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("vhba: error: http: 0.0.0.0:0 is not a loopback address, so the API needs a token: "
                + "--http-token-file FILE (http.tokenFile) or the environment variable VHBA_HTTP_TOKEN" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }
}
