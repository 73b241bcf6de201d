package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.GET;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vhba.emulator.runtime.Health;
import io.vhba.emulator.runtime.Operations;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.runtime.VhbaVersion;
import java.util.List;

/** {@code /health}, {@code /version}, {@code /metrics} and {@code /operations}. */
final class SystemResources {
    /** The Prometheus text exposition format (version 0.0.4). */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private SystemResources() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthView(String status, String reason) {}

    record VersionView(String version, String java, String miniport, int processors, int targets) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OperationView(String id, String kind, String target, int lun, String state, double percent,
                         String started, String finished, String detail) {
        static OperationView of(Operations.Operation o) {
            return new OperationView(o.id(), o.kind().name(), o.target(), o.lun(), o.state().name(),
                    Math.round(o.percent() * 10) / 10.0, o.started() == null ? null : o.started().toString(),
                    o.finished() == null ? null : o.finished().toString(), o.detail());
        }
    }

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/health", r -> {
            Health h = v.health();
            return h.up() ? ApiResponse.ok(new HealthView("UP", null))
                    : ApiResponse.json(503, new HealthView("DOWN", h.reason()));
        });
        t.add(GET, "/version", r -> ApiResponse.ok(new VersionView(VhbaVersion.get(), System.getProperty("java.version"),
                v.config().miniport(), v.config().processors(), v.targets().size())));
        t.add(GET, "/metrics", r -> ApiResponse.text(200, PROMETHEUS_TEXT, v.scrape()));
        t.add(GET, "/operations", r -> {
            List<OperationView> l = v.operations().stream().map(OperationView::of).toList();
            return ApiResponse.ok(l);
        });
    }
}
