package io.vhba.emulator.cli.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The management API as {@code vhba ctl} calls it, with {@link HttpClient}: one request per call, the bearer token
 * when there is one, JSON in and out. An error status becomes a {@link CtlException} with exit status 1 and the
 * server's one-line message; no answer at all, one with exit status 2 naming the URL.
 */
final class CtlClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than the server's own limit for a waiting change (90 s), so the server's answer arrives. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    CtlClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** One answer: status and parsed JSON body (null when empty). */
    record Reply(int status, JsonNode body) {}

    JsonNode get(String path) {
        return ok(send("GET", path, null));
    }

    JsonNode post(String path, Object body) {
        return ok(send("POST", path, body));
    }

    JsonNode put(String path, Object body) {
        return ok(send("PUT", path, body));
    }

    JsonNode delete(String path) {
        return ok(send("DELETE", path, null));
    }

    /** The request, whatever status comes back (for {@code /health}, whose 503 is an answer too). */
    Reply send(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode n = r.body().length == 0 ? null : parse(r.body(), r.headers().firstValue("Content-Type").orElse(""));
            return new Reply(r.statusCode(), n);
        } catch (ConnectException e) {
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "cannot reach " + base + ": connection refused");
        } catch (HttpTimeoutException e) {
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "no answer from " + base + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "cannot reach " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(CtlException.USAGE_OR_UNREACHABLE, "interrupted talking to " + base);
        }
    }

    private static JsonNode parse(byte[] body, String contentType) {
        if (!contentType.startsWith("application/json")) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CtlException(CtlException.SERVER_ERROR, "the server sent malformed JSON: " + e.getMessage());
        }
    }

    private static JsonNode ok(Reply r) {
        if (r.status() >= 400) {
            throw new CtlException(CtlException.SERVER_ERROR, message(r));
        }
        return r.body();
    }

    /** The server's {@code error}, prefixed with the status. */
    static String message(Reply r) {
        String why = r.body() != null && r.body().hasNonNull("error") ? r.body().get("error").asText()
                : r.body() != null && r.body().isTextual() ? r.body().asText().strip() : "no details";
        return r.status() + ": " + why;
    }

    /** One path segment, percent-encoded (an IQN's colons included). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
