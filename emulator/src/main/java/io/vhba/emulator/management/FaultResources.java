package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import io.vhba.emulator.fault.ActiveFault;
import io.vhba.emulator.runtime.Vhba;
import java.util.Map;

/**
 * {@code /faults}: the installed faults with their ids and how often each fired; {@code POST} a spec in exactly the
 * {@code serve --fault} grammar; remove one by id or all of them.
 */
final class FaultResources {
    private FaultResources() {}

    record FaultRequest(String spec) {}

    record FaultView(long id, String spec, String kind, long fired, boolean exhausted) {
        static FaultView of(ActiveFault f) {
            return new FaultView(f.id(), f.specText(), f.spec().kind().cliName(), f.fired(), f.exhausted());
        }
    }

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/faults", r -> ApiResponse.ok(v.faults().active().stream().map(FaultView::of).toList()));
        t.add(POST, "/faults", r -> {
            FaultRequest req = r.json(FaultRequest.class);
            if (req.spec() == null || req.spec().isBlank()) {
                throw ApiException.badRequest("spec: required, in the --fault grammar (e.g. medium-error,lun=0,lba=2048-2055)");
            }
            ActiveFault f = v.faults().inject(req.spec());
            return ApiResponse.created("/faults/" + f.id(), FaultView.of(f));
        });
        t.add(GET, "/faults/{id}", r -> {
            ActiveFault f = v.faults().find(r.longParam("id", 1, Long.MAX_VALUE));
            if (f == null) {
                throw ApiException.notFound("no fault " + r.param("id"));
            }
            return ApiResponse.ok(FaultView.of(f));
        });
        t.add(DELETE, "/faults/{id}", r -> {
            long id = r.longParam("id", 1, Long.MAX_VALUE);
            if (!v.faults().remove(id)) {
                throw ApiException.notFound("no fault " + id);
            }
            return ApiResponse.noContent();
        });
        t.add(DELETE, "/faults", r -> {
            return ApiResponse.ok(Map.of("removed", v.faults().clear()));
        });
    }
}
