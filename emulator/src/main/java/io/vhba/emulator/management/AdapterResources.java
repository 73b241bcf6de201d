package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.AdapterCounters;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.RestartOutcome;
import io.vhba.emulator.verifier.BugCheck;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /adapters}: each adapter's state (running, or stopped and why), its request counters, its bug checks and
 * the Storport event log; a restart on request (ScsiStopAdapter, ScsiRestartAdapter) after the requests the
 * miniport holds have drained.
 */
final class AdapterResources {
    /** How long a restart waits for the requests the miniport holds. */
    static final long DRAIN_MILLIS = 10_000;

    /** The answer for each way a restart can end. */
    private static final Map<RestartOutcome, Integer> RESTART_STATUS = new EnumMap<>(Map.of(
            RestartOutcome.RESTARTED, 200,
            RestartOutcome.UNSUPPORTED, 409,
            RestartOutcome.NOT_RUNNING, 409,
            RestartOutcome.NOT_DRAINED, 503,
            RestartOutcome.FAILED, 500));

    private AdapterResources() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AdapterView(String name, String target, String state, String reason, String device, List<Integer> luns,
                       int bugChecks, Map<String, Long> counters, long interrupts, boolean linkDown) {}

    record BugCheckView(String code, String subCode, String rule, List<String> parameters, String adapter,
                        String routine, String detail, Map<String, List<String>> stacks) {
        static BugCheckView of(BugCheck b) {
            return new BugCheckView(hex(b.code()), hex(b.parameter1()), b.rule().name(),
                    List.of(hex(b.parameter2()), hex(b.parameter3()), hex(b.parameter4())), b.adapter(), b.routine(),
                    b.detail(), b.stacks());
        }
    }

    record RestartView(String adapter, String outcome, String state) {}

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/adapters", r -> ApiResponse.ok(v.engine().adapters().stream().map(a -> view(v, a)).toList()));
        t.add(GET, "/adapters/{name}", r -> ApiResponse.ok(view(v, adapter(v, r.param("name")))));
        t.add(GET, "/adapters/{name}/bugchecks", r -> {
            Adapter a = adapter(v, r.param("name"));
            return ApiResponse.ok(bugChecks(v, a).stream().map(BugCheckView::of).toList());
        });
        t.add(GET, "/adapters/{name}/events", r -> ApiResponse.ok(adapter(v, r.param("name")).eventLog().entries()));
        t.addBlocking(POST, "/adapters/{name}/restart", r -> {
            Adapter a = adapter(v, r.param("name"));
            RestartOutcome o = v.restartAdapter(a.name(), DRAIN_MILLIS);
            int status = RESTART_STATUS.get(o);
            if (status == 200) {
                return ApiResponse.ok(new RestartView(a.name(), o.name(), a.state().name()));
            }
            return ApiResponse.error(status, "adapter " + a.name() + " not restarted: " + explain(o, a));
        });
    }

    private static String explain(RestartOutcome o, Adapter a) {
        return switch (o) {
            case UNSUPPORTED -> "its miniport does not handle ScsiStopAdapter and ScsiRestartAdapter";
            case NOT_RUNNING -> "it is " + a.state() + (a.failureReason() == null ? "" : " (" + a.failureReason() + ")");
            case NOT_DRAINED -> "requests the miniport holds did not finish within " + DRAIN_MILLIS + " ms; I/O resumed";
            case FAILED -> "HwStorAdapterControl failed; the adapter is stopped";
            case RESTARTED -> "restarted";
        };
    }

    static Adapter adapter(Vhba v, String name) {
        return v.engine().adapters().stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no adapter " + name));
    }

    private static List<BugCheck> bugChecks(Vhba v, Adapter a) {
        return v.engine().verifier().bugChecks().stream().filter(b -> b.adapter().equals(a.name())).toList();
    }

    private static AdapterView view(Vhba v, Adapter a) {
        AdapterCounters c = a.counters();
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("submitted", c.submitted());
        counters.put("startIo", c.startIoCalls());
        counters.put("requestCompletes", c.requestCompletes());
        counters.put("returned", c.returned());
        counters.put("busyRequeues", c.busyRequeues());
        counters.put("lunResets", c.lunResets());
        counters.put("timeouts", a.recovery().timeouts());
        counters.put("busResets", a.recovery().busResets());
        return new AdapterView(a.name(), v.targetServedBy(a).orElse(null), a.state().name(), a.failureReason(),
                a.device() == null ? "virtual" : a.device().location(),
                a.logicalUnits().stream().map(PortLogicalUnit::lun).toList(), bugChecks(v, a).size(), counters,
                a.interruptsDelivered(), a.isLinkDown());
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
    }
}
