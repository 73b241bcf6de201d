package io.vhba.emulator.management;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.Portal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where the API listens and the token it demands (null: none). The token is the first line of {@code tokenFile}, or
 * else the environment variable {@value HttpConfig#TOKEN_ENV}; an address other than loopback needs one.
 */
public record ManagementSettings(Portal listen, BearerToken token) {

    /** @throws ConfigException one line naming the problem: a bad address, an unreadable token file, no token */
    public static ManagementSettings resolve(HttpConfig config, Function<String, String> env) {
        Portal p = config.portal();
        BearerToken token = null;
        if (config.tokenFile() != null) {
            token = fromFile(Path.of(config.tokenFile()));
        } else {
            String v = env.apply(HttpConfig.TOKEN_ENV);
            if (v != null && !v.isBlank()) {
                try {
                    token = BearerToken.of(v.trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(HttpConfig.TOKEN_ENV + ": " + e.getMessage());
                }
            }
        }
        if (token == null && !isLoopback(p.host())) {
            throw new ConfigException("http: " + p + " is not a loopback address, so the API needs a token: "
                    + "--http-token-file FILE (http.tokenFile) or the environment variable " + HttpConfig.TOKEN_ENV);
        }
        return new ManagementSettings(p, token);
    }

    private static BearerToken fromFile(Path f) {
        List<String> lines;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("http token file " + f + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        if (first.isEmpty()) {
            throw new ConfigException("http token file " + f + ": the first line is empty");
        }
        try {
            return BearerToken.of(first);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http token file " + f + ": " + e.getMessage());
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("http.listen: cannot resolve " + host);
        }
    }
}
