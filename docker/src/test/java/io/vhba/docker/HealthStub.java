package io.vhba.docker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the management API's {@code GET /health} on a loopback port the OS picks: it answers
 * {@code status} with {@code body}, or 401 when it wants a bearer token the request lacks, and records
 * what it was asked.
 */
final class HealthStub implements AutoCloseable {

    /** One request as the stub saw it. */
    record Request(String method, String path, String authorization) {}

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"status\":\"UP\"}";
    private final String token;

    /** @param token the bearer token every request must carry, or null for an API without one */
    HealthStub(InetAddress address, String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), auth));
            int code = status;
            String text = body;
            if (token != null && !("Bearer " + token).equals(auth)) {
                code = 401;
                text = "{\"error\":\"missing or wrong bearer token\"}";
            } else if (!exchange.getRequestURI().getPath().equals("/health")) {
                code = 404;
                text = "{\"error\":\"no such resource\"}";
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    static HealthStub loopback(String token) throws IOException {
        return new HealthStub(InetAddress.getByName("127.0.0.1"), token);
    }

    HealthStub answering(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
