package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vhba.emulator.config.Portal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The HTTP layer on a real socket: status codes, one-line JSON errors, the body cap, the bearer token. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagementServerTest {
    private static final String TOKEN = "tok-7f3a9c1e55d04b2a";

    record Thing(String name, int count) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private ManagementServer server;

    private static RouteTable routes() {
        return new RouteTable()
                .add(GET, "/echo/{name}", r -> ApiResponse.ok(Map.of("name", r.param("name"))))
                .add(POST, "/things", r -> ApiResponse.created("/things/1", r.json(Thing.class)))
                .add(GET, "/bad", r -> {
                    throw ApiException.badRequest("size: 'x' is not a size");
                })
                .add(GET, "/boom", r -> {
                    throw new IllegalStateException("kaboom");
                })
                .addBlocking(POST, "/slow", r -> {
                    Thread.sleep(100);
                    return ApiResponse.ok(Map.of("waited", true));
                });
    }

    private String start(String token) {
        server = ManagementServer.start(routes(), new ManagementSettings(new Portal("127.0.0.1", 0),
                token == null ? null : BearerToken.of(token)));
        return server.url();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String url, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAnswerIsJsonAndEveryErrorOneLineNamingTheProblem() throws Exception {
        String url = start(null);
        HttpResponse<String> ok = send("GET", url + "/echo/iqn.2026-11.x%3Ay", null, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ok.body()).isEqualTo("{\"name\":\"iqn.2026-11.x:y\"}");

        HttpResponse<String> missing = send("GET", url + "/nothing/here", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no resource at /nothing/here\"}");

        HttpResponse<String> wrongMethod = send("DELETE", url + "/echo/x", null, null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
        assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"DELETE /echo/x is not supported; allowed: GET\"}");

        assertThat(send("GET", url + "/bad", null, null)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"error\":\"size: 'x' is not a size\"}");
        });
        HttpResponse<String> boom = send("GET", url + "/boom", null, null);
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).isEqualTo("{\"error\":\"internal error: java.lang.IllegalStateException: kaboom\"}");
        assertThat(send("GET", url + "/echo/still-here", null, null).statusCode()).as("the server goes on").isEqualTo(200);
    }

    @Test
    void aBodyIsReadStrictlyAndTheFieldAtFaultNamed() throws Exception {
        String url = start(null);
        HttpResponse<String> created = send("POST", url + "/things", "{\"name\":\"a\",\"count\":2}", null);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/things/1");
        assertThat(created.body()).isEqualTo("{\"name\":\"a\",\"count\":2}");

        assertThat(send("POST", url + "/things", "{\"name\":\"a\",\"count\":1,\"colour\":2}", null).body())
                .isEqualTo("{\"error\":\"unknown field 'colour'\"}");
        HttpResponse<String> badType = send("POST", url + "/things", "{\"name\":\"a\",\"count\":\"many\"}", null);
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.body()).startsWith("{\"error\":\"count: ");
        assertThat(send("POST", url + "/things", "{\"name\":\"a\"}", null).body())
                .isEqualTo("{\"error\":\"count: Cannot map `null` into type `int`\"}");
        assertThat(send("POST", url + "/things", "{not json", null).body()).startsWith("{\"error\":\"the body is not JSON");
        assertThat(send("POST", url + "/things", null, null).body()).isEqualTo("{\"error\":\"a JSON body is required\"}");
    }

    @Test
    void aWaitingHandlerRunsOffTheEventLoopAndAnswersInOrder() throws Exception {
        String url = start(null);
        HttpResponse<String> r = send("POST", url + "/slow", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"waited\":true}");
    }

    @Test
    void aBodyOverTheCapIs413AndTheConnectionCloses() throws Exception {
        start(null);
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            int length = ManagementServer.MAX_BODY + 1;
            out.write(("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAll(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413 ");
            assertThat(answer).endsWith("{\"error\":\"the body is larger than 65536 bytes\"}");
        }
    }

    @Test
    void withATokenEveryRequestNeedsItAndTheTokenIsNeverLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        root.setLevel(Level.TRACE);
        try {
            String url = start(TOKEN);
            for (String auth : new String[] {null, "Bearer wrong-" + TOKEN, "Basic " + TOKEN, "Bearer " + TOKEN.substring(1)}) {
                HttpResponse<String> r = send("GET", url + "/echo/x", null, auth);
                assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vhba\"");
                assertThat(r.body()).isEqualTo("{\"error\":\"a valid 'Authorization: Bearer <token>' header is required\"}");
            }
            assertThat(send("GET", url + "/no/such/path", null, null).statusCode())
                    .as("without the token not even the paths show").isEqualTo(401);
            assertThat(send("GET", url + "/echo/x", null, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(send("POST", url + "/slow", null, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        } finally {
            root.setLevel(before);
            root.detachAppender(log);
        }
        List<String> logged = log.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList();
        assertThat(logged).as("TRACE logging was on").isNotEmpty();
        assertThat(logged).noneMatch(line -> line.contains(TOKEN.substring(4)));
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            b.write(buf, 0, n);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
