package io.vhba.emulator.management;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * A request a route handles: its method and path, the path variables its template bound, the query parameters and
 * the body (at most {@link ManagementServer#MAX_BODY} bytes).
 */
public record ApiRequest(HttpMethod method, String path, Map<String, String> params, Map<String, List<String>> query,
                         byte[] body) {

    /** A path variable the route's template declares. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalStateException("the route declares no {" + name + "}");
        }
        return v;
    }

    /** A path variable that must be a whole number within {@code min..max}; 400 naming it otherwise. */
    public long longParam(String name, long min, long max) {
        String v = param(name);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(name + ": " + n + " is outside " + min + ".." + max);
        }
        return n;
    }

    /** The body parsed as {@code type}; 400 naming the field at fault. */
    public <T> T json(Class<T> type) {
        return Json.read(body, type);
    }
}
