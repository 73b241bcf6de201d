package io.vhba.emulator.config;

/**
 * The management API (YAML: a top-level {@code http: {listen: "127.0.0.1:9260", tokenFile: /run/secrets/vhba}}).
 * Off when absent. The bearer token comes from {@code tokenFile} or the environment variable
 * {@value #TOKEN_ENV}, never from the configuration itself; a listen address other than loopback requires one.
 *
 * @param listen    {@code HOST:PORT} to serve HTTP on; port 0 lets the OS pick one
 * @param tokenFile a file whose first line is the bearer token every request must carry, or null
 */
public record HttpConfig(String listen, String tokenFile) {

    /** The environment variable that holds the token when no {@code tokenFile} is given. */
    public static final String TOKEN_ENV = "VHBA_HTTP_TOKEN";

    /** The listen address, checked. */
    public Portal portal() {
        if (listen == null || listen.isBlank()) {
            throw new ConfigException("http.listen: an address HOST:PORT is required");
        }
        try {
            return Portal.parse(listen);
        } catch (ConfigException e) {
            throw new ConfigException("http." + e.getMessage());
        }
    }

    void validate() {
        portal();
        if (tokenFile != null && tokenFile.isBlank()) {
            throw new ConfigException("http.tokenFile: a path is required");
        }
    }
}
