package io.vhba.emulator.management;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: status, content type, body and extra headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";

    /** {@code value} as JSON. */
    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON, Json.write(value), Map.of());
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    /** 201 Created with the new resource and where it lives. */
    public static ApiResponse created(String location, Object value) {
        return new ApiResponse(201, JSON, Json.write(value), Map.of("Location", location));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, new byte[0], Map.of());
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** {@code {"error": message}} with the message on one line. */
    public static ApiResponse error(int status, String message) {
        String line = message == null ? "error" : message.replace('\r', ' ').replace('\n', ' ');
        return json(status, Map.of("error", line));
    }

    /** The same response with one more header. */
    public ApiResponse withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, Map.copyOf(h));
    }
}
