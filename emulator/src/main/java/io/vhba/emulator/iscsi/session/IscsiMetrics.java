package io.vhba.emulator.iscsi.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vhba.emulator.iscsi.login.LoginStatus;
import io.vhba.emulator.iscsi.login.SessionType;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iSCSI layer's meters. Per command (target, LUN; see {@link CommandMeters}):
 * {@code vhba.iscsi.commands}, {@code vhba.iscsi.command.duration}, {@code vhba.iscsi.data},
 * {@code vhba.iscsi.command.status} and {@code vhba.iscsi.check.conditions}; recorded only with data-path
 * metrics on. Per session and event, always:
 * <ul>
 *   <li>{@code vhba.iscsi.sessions{target,type}}: live sessions (a discovery session has target "");</li>
 *   <li>{@code vhba.iscsi.initiator.sessions{target,initiator}}: live sessions of each initiator; the series goes
 *       away with the initiator's last session, so initiator names cannot pile up;</li>
 *   <li>{@code vhba.iscsi.logins{outcome,reason}}: login phases that ended, {@code ok} with reason
 *       {@code success} or {@code failed} with the Login Response status (RFC 7143 §11.13.5) as the reason;</li>
 *   <li>{@code vhba.iscsi.task.management{function,response}}: task management functions answered
 *       (RFC 7143 §11.5.1, §11.6.1).</li>
 * </ul>
 */
public final class IscsiMetrics {
    /** Task management function codes (RFC 7143 §11.5.1) as labels; the index is the code. */
    private static final String[] FUNCTIONS = {"0", "abort_task", "abort_task_set", "clear_aca", "clear_task_set",
        "logical_unit_reset", "target_warm_reset", "target_cold_reset", "task_reassign"};
    /** Task management response codes (RFC 7143 §11.6.1) as labels; the index is the code (255 apart). */
    private static final String[] RESPONSES = {"function_complete", "task_does_not_exist", "lun_does_not_exist",
        "task_still_allegiant", "allegiance_reassignment_not_supported", "function_not_supported",
        "authorization_failed"};

    private final MeterRegistry registry;
    private final boolean dataPath;
    private final ConcurrentHashMap<String, CommandMeters> commands = new ConcurrentHashMap<>();
    private final Map<LoginStatus, Counter> logins = new EnumMap<>(LoginStatus.class);
    private final ConcurrentHashMap<List<String>, AtomicInteger> sessions = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Map<List<String>, InitiatorSessions> initiators = new HashMap<>();

    private record InitiatorSessions(AtomicInteger count, Gauge gauge) {}

    /**
     * @param dataPath whether commands are counted and timed; off, the per-command path records nothing
     */
    public IscsiMetrics(MeterRegistry registry, boolean dataPath) {
        this.registry = registry;
        this.dataPath = dataPath;
        for (LoginStatus s : LoginStatus.values()) {
            // Every reason exists from the start at 0, so a rate over a first failure is not lost.
            logins.put(s, Counter.builder("vhba.iscsi.logins").description("Login phases that ended, by outcome")
                    .tags("outcome", s == LoginStatus.SUCCESS ? "ok" : "failed", "reason", s.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        sessionCount("", SessionType.DISCOVERY);
    }

    /** Meters that go nowhere, for a session layer assembled without a registry. */
    public static IscsiMetrics none() {
        return new IscsiMetrics(new CompositeMeterRegistry(), false);
    }

    /** Declares a target, so that its session gauge reads 0 before its first login. */
    public void targetAdded(ScsiTarget target) {
        sessionCount(target.name(), SessionType.NORMAL);
    }

    /** The command meters of LUN {@code lun} of {@code target}; commands to a LUN it does not map count as "unmapped". */
    CommandMeters commands(ScsiTarget target, int lun) {
        if (!dataPath) {
            return CommandMeters.NONE;
        }
        String label = lun >= 0 && target.lun(lun) != null ? Integer.toString(lun) : "unmapped";
        return commands.computeIfAbsent(target.name() + ' ' + label,
                k -> new CommandMeters(registry, Tags.of("target", target.name(), "lun", label)));
    }

    /** Whether {@link #commands} answers for a mapped LUN, which a connection may cache. */
    static boolean cacheable(ScsiTarget target, int lun) {
        return lun >= 0 && target.lun(lun) != null;
    }

    void sessionOpened(Session s) {
        String target = s.target() == null ? "" : s.target().name();
        sessionCount(target, s.type()).incrementAndGet();
        synchronized (this) {
            initiators.computeIfAbsent(List.of(target, s.initiatorName()), k -> {
                AtomicInteger n = new AtomicInteger();
                Gauge g = Gauge.builder("vhba.iscsi.initiator.sessions", n, AtomicInteger::get)
                        .description("Live sessions of an initiator").tags("target", target, "initiator", s.initiatorName())
                        .register(registry);
                return new InitiatorSessions(n, g);
            }).count().incrementAndGet();
        }
    }

    void sessionClosed(Session s) {
        String target = s.target() == null ? "" : s.target().name();
        sessionCount(target, s.type()).decrementAndGet();
        synchronized (this) {
            List<String> key = List.of(target, s.initiatorName());
            InitiatorSessions i = initiators.get(key);
            if (i != null && i.count().decrementAndGet() <= 0) {
                initiators.remove(key);
                registry.remove(i.gauge());
            }
        }
    }

    private AtomicInteger sessionCount(String target, SessionType type) {
        return sessions.computeIfAbsent(List.of(target, type.name()), k -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("vhba.iscsi.sessions", n, AtomicInteger::get).description("Live iSCSI sessions")
                    .tags("target", target, "type", type.name().toLowerCase(Locale.ROOT)).register(registry);
            return n;
        });
    }

    /** A login phase ended with a final Login Response of {@code status}. */
    void login(LoginStatus status) {
        logins.get(status).increment();
    }

    /** A task management function was answered (not on the data path: a registry lookup is fine here). */
    void taskManagement(int function, int response) {
        String f = function >= 0 && function < FUNCTIONS.length ? FUNCTIONS[function] : Integer.toString(function);
        String r = response >= 0 && response < RESPONSES.length ? RESPONSES[response]
                : response == 255 ? "function_rejected" : Integer.toString(response);
        registry.counter("vhba.iscsi.task.management", "function", f, "response", r).increment();
    }
}
