package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.Sizes;
import io.vhba.emulator.runtime.LunState;
import io.vhba.emulator.runtime.Reconfiguration;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.scsi.core.ScsiTarget;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.storport.Adapter;
import java.util.List;

/**
 * Targets and their LUNs: list, add a LUN (a body with exactly the YAML {@code LunConfig} keys), remove one, resize
 * one ({@code {"size":"2G"}} or a number of bytes). Adding, removing and resizing wait for the emulator.
 */
final class TargetResources {
    private TargetResources() {}

    record TargetView(String iqn, String alias, String adapter, String adapterState, List<Integer> luns, long sessions) {}

    record ProgressView(String operation, double percent) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LunView(int lun, String size, long sizeBytes, int blockSize, int physicalBlockSize, boolean readOnly,
                   boolean thin, boolean removable, String file, String overwriteRate, int outstanding,
                   ProgressView operation) {
        static LunView of(LunState s) {
            LunConfig c = s.config();
            return new LunView(s.lun(), Sizes.format(s.capacityBytes()), s.capacityBytes(), s.blockSize(),
                    c.physicalBlockSize(), c.readOnly(), c.thin(), c.removable(), c.file(), c.overwriteRate(),
                    s.outstanding(), s.mediumOperation().map(p -> new ProgressView(p.operation(),
                            Math.round(p.percent() * 10) / 10.0)).orElse(null));
        }
    }

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/targets", r -> ApiResponse.ok(v.targets().stream().map(x -> view(v, x)).toList()));
        t.add(GET, "/targets/{iqn}", r -> ApiResponse.ok(view(v, target(v, r.param("iqn")))));
        t.add(GET, "/targets/{iqn}/luns", r -> ApiResponse.ok(v.luns(r.param("iqn")).stream().map(LunView::of).toList()));
        t.add(GET, "/targets/{iqn}/luns/{lun}", r -> ApiResponse.ok(lun(v, r.param("iqn"), lunNumber(r))));
        t.addBlocking(POST, "/targets/{iqn}/luns", r -> {
            String iqn = r.param("iqn");
            target(v, iqn);
            JsonNode body = Json.tree(r.body());
            if (!body.hasNonNull("lun")) {
                throw ApiException.badRequest("lun: required (the LUN number, 0..255)");
            }
            LunConfig lc = r.json(LunConfig.class);
            v.addLun(iqn, lc);
            return ApiResponse.created(r.path().replaceAll("/+$", "") + "/" + lc.lun(), lun(v, iqn, lc.lun()));
        });
        t.addBlocking(DELETE, "/targets/{iqn}/luns/{lun}", r -> {
            v.removeLun(r.param("iqn"), lunNumber(r));
            return ApiResponse.noContent();
        });
        t.addBlocking(PUT, "/targets/{iqn}/luns/{lun}/size", r -> {
            String iqn = r.param("iqn");
            int lun = lunNumber(r);
            lun(v, iqn, lun); // 404 before the body is looked at
            long bytes = size(Json.tree(r.body()));
            v.resize(iqn, lun, bytes);
            return ApiResponse.ok(lun(v, iqn, lun));
        });
    }

    private static int lunNumber(ApiRequest r) {
        return (int) r.longParam("lun", 0, 255);
    }

    static ScsiTarget target(Vhba v, String iqn) {
        return v.targets().stream().filter(x -> x.name().equals(iqn)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no target " + iqn));
    }

    private static LunView lun(Vhba v, String iqn, int lun) {
        return v.luns(iqn).stream().filter(s -> s.lun() == lun).findFirst().map(LunView::of)
                .orElseThrow(() -> new Reconfiguration(Reconfiguration.Reason.NOT_FOUND, "target " + iqn + " has no LUN " + lun));
    }

    /** {@code {"size": "2G"}} or {@code {"size": 2147483648}}; nothing else in the body. */
    private static long size(JsonNode body) {
        JsonNode s = body.get("size");
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("size")) {
                throw ApiException.badRequest("unknown field '" + f + "'");
            }
        });
        if (s == null || s.isNull()) {
            throw ApiException.badRequest("size: required, e.g. \"2G\" or a number of bytes");
        }
        if (s.isTextual()) {
            return Sizes.parse("size", s.asText());
        }
        if (s.isIntegralNumber() && s.canConvertToLong() && s.asLong() > 0) {
            return s.asLong();
        }
        throw ApiException.badRequest("size: " + s + " is not a size such as \"2G\" or a positive number of bytes");
    }

    private static TargetView view(Vhba v, ScsiTarget t) {
        Adapter a = v.adapterOf(t.name());
        long sessions = v.sessions().sessions().stream().filter(s -> s.target() == t).count();
        return new TargetView(t.name(), t.alias(), a.name(), a.state().name(),
                t.luns().stream().map(TargetLun::lun).toList(), sessions);
    }
}
