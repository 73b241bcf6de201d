package io.vhba.emulator.config;

/** A listening address, {@code HOST:PORT} or {@code [v6]:PORT}. */
public record Portal(String host, int port) {

    public static Portal parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException("listen: an address HOST:PORT is required");
        }
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new ConfigException("listen: '" + text + "' is not HOST:PORT");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("listen: port in '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("listen: port " + port + " is outside 0..65535");
        }
        return new Portal(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
