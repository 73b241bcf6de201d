package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final RouteTable.Handler OK = r -> ApiResponse.noContent();

    private final RouteTable table = new RouteTable()
            .add(GET, "/targets", OK)
            .add(GET, "/targets/{iqn}/luns", OK)
            .addBlocking(POST, "/targets/{iqn}/luns", OK)
            .addBlocking(DELETE, "/targets/{iqn}/luns/{lun}", OK)
            .addBlocking(PUT, "/targets/{iqn}/luns/{lun}/size", OK);

    @Test
    void aPathBindsItsVariablesPercentDecoded() {
        RouteTable.Match m = table.match(PUT, "/targets/iqn.2026-11.io.vhba%3Adisk0/luns/3/size");
        assertThat(m).isInstanceOf(RouteTable.Match.Found.class);
        RouteTable.Match.Found f = (RouteTable.Match.Found) m;
        assertThat(f.params()).isEqualTo(Map.of("iqn", "iqn.2026-11.io.vhba:disk0", "lun", "3"));
        assertThat(f.route().blocking()).isTrue();
        assertThat(((RouteTable.Match.Found) table.match(GET, "/targets/iqn.x:y/luns/")).params())
                .as("colons unencoded, trailing slash").containsEntry("iqn", "iqn.x:y");
        assertThat(((RouteTable.Match.Found) table.match(GET, "/targets/a+b/luns")).params())
                .as("'+' is a plus sign in a path").containsEntry("iqn", "a+b");
    }

    @Test
    void anotherMethodOnAKnownPathIs405WithTheAllowedOnes() {
        assertThat(table.match(DELETE, "/targets/iqn.x/luns"))
                .isEqualTo(new RouteTable.Match.MethodNotAllowed(java.util.Set.of("GET", "POST")));
    }

    @Test
    void anUnknownOrMalformedPathIs404() {
        assertThat(table.match(GET, "/targets/iqn.x")).isInstanceOf(RouteTable.Match.NotFound.class);
        assertThat(table.match(GET, "/targets//luns")).as("an empty variable").isInstanceOf(RouteTable.Match.NotFound.class);
        assertThat(table.match(GET, "/targets/%zz/luns")).as("bad escape").isInstanceOf(RouteTable.Match.NotFound.class);
        assertThat(table.match(GET, "/")).isInstanceOf(RouteTable.Match.NotFound.class);
    }

    @Test
    void aRouteIsDeclaredOnceAndVariablesAreWholeSegments() {
        assertThatThrownBy(() -> table.add(GET, "/targets", OK)).hasMessage("GET /targets is declared twice");
        assertThatThrownBy(() -> PathTemplate.of("/x{id}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathTemplate.of("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theApiDeclaresEveryResourceOfTheInterface() {
        RouteTable api = ManagementApi.routes(null); // declaring routes touches nothing of the emulator
        String[][] expected = {
                {"GET", "/health"}, {"GET", "/version"}, {"GET", "/metrics"}, {"GET", "/operations"},
                {"GET", "/targets"}, {"GET", "/targets/x"}, {"GET", "/targets/x/luns"}, {"POST", "/targets/x/luns"},
                {"DELETE", "/targets/x/luns/3"}, {"PUT", "/targets/x/luns/3/size"}, {"GET", "/sessions"},
                {"DELETE", "/sessions/5"}, {"GET", "/faults"}, {"POST", "/faults"}, {"DELETE", "/faults/2"},
                {"DELETE", "/faults"}, {"GET", "/adapters"}, {"POST", "/adapters/mailbox0/restart"},
                {"GET", "/adapters/mailbox0/bugchecks"}, {"GET", "/adapters/mailbox0/events"}};
        for (String[] e : expected) {
            assertThat(api.match(io.netty.handler.codec.http.HttpMethod.valueOf(e[0]), e[1]))
                    .as(e[0] + " " + e[1]).isInstanceOf(RouteTable.Match.Found.class);
        }
    }
}
