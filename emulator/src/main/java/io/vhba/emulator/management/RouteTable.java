package io.vhba.emulator.management;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API declared as a table: method, path template, whether the handler may wait (then it runs on the worker
 * pool, not on the event loop), and the handler. Lookup gives the route with its bound variables, or says whether
 * the path exists with other methods (405) or not at all (404).
 */
public final class RouteTable {

    /** Answers one request; throws {@link ApiException} (or an exception {@link Errors} maps) for an error. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** One row of the table. */
    public record Route(HttpMethod method, PathTemplate path, boolean blocking, Handler handler) {}

    /** What a lookup found. */
    public sealed interface Match {
        record Found(Route route, Map<String, String> params) implements Match {}

        /** The path exists, with these methods only. */
        record MethodNotAllowed(Set<String> allowed) implements Match {}

        record NotFound() implements Match {}
    }

    private final List<Route> routes = new ArrayList<>();

    /** A route whose handler answers at once (runs on the event loop). */
    public RouteTable add(HttpMethod method, String path, Handler handler) {
        return add(method, path, false, handler);
    }

    /** A route whose handler waits for the emulator (runs on the worker pool). */
    public RouteTable addBlocking(HttpMethod method, String path, Handler handler) {
        return add(method, path, true, handler);
    }

    private RouteTable add(HttpMethod method, String path, boolean blocking, Handler handler) {
        PathTemplate t = PathTemplate.of(path);
        for (Route r : routes) {
            if (r.method().equals(method) && r.path().toString().equals(path)) {
                throw new IllegalArgumentException(method + " " + path + " is declared twice");
            }
        }
        routes.add(new Route(method, t, blocking, handler));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(HttpMethod method, String rawPath) {
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> vars = r.path().match(rawPath);
            if (vars.isEmpty()) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Match.Found(r, vars.get());
            }
            allowed.add(r.method().name());
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
    }
}
