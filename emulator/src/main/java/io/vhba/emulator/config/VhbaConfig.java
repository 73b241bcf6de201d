package io.vhba.emulator.config;

import io.vhba.emulator.verifier.VerifierPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The whole configuration. Every field is optional in a file; absent ones take the defaults of
 * the embedded default: one 1 GiB RAM disk at LUN 0 behind the mailbox miniport, on 127.0.0.1:3260.
 * {@code stateDir} is where state that outlives the process is kept (persistent reservations with
 * APTPL, SPC-4 5.13.5); without it, APTPL=1 is refused. {@code discoveryChap} is what discovery
 * (SendTargets) sessions must prove (none by default); {@code limits} bounds what initiators may
 * hold (docs/security.md). {@code drivers} are jars (or directories of jars) of external miniports
 * and controller models, loaded beside the built-in ones; {@code miniport} may name one of theirs.
 * {@code startTimeoutSeconds} bounds each start-up callback of the miniport (DriverEntry,
 * FindAdapter, HwInitialize, passive initialisation, each bus scan command),
 * {@code dpcWatchdogSeconds} each DPC run. {@code metrics: false} turns off the data-path meters (per
 * command, per SRB, DPC latency and ISR time); event meters and JVM metrics stay. {@code http} turns the
 * management API on ({@link HttpConfig}); absent, it is off. {@code deterministic} runs everything under one
 * seeded scheduler over virtual time (docs/architecture.md, "Deterministic mode"); {@code trace} writes a timeline.
 *
 * <p>Code builds one with {@link #builder()} or changes one with {@link #toBuilder()}; the
 * canonical constructor is the file format's (Jackson), so its parameter list grows with the format.
 */
public record VhbaConfig(List<String> listen, Integer processors, String hostMemory, String miniport,
                         ControllerConfig controller, Integer ioTimeoutSeconds, Boolean verifier, String verifierPolicy,
                         Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, List<TargetConfig> targets,
                         String stateDir, ChapConfig discoveryChap, LimitsConfig limits, List<String> drivers,
                         Integer startTimeoutSeconds, Integer dpcWatchdogSeconds, Boolean metrics, HttpConfig http,
                         DeterministicConfig deterministic, TraceConfig trace) {

    public static final String DEFAULT_IQN = "iqn.2026-11.io.vhba:disk0";
    /** How long a target ping may go unanswered before the connection is dropped, by default. */
    public static final int DEFAULT_NOP_IN_TIMEOUT_SECONDS = 90;
    /** Windows' own DPC watchdog allows a single DPC about 20 s; vHBA is stricter by default, as Driver Verifier is. */
    public static final int DEFAULT_DPC_WATCHDOG_SECONDS = 5;

    /** A configuration with the defaults of every setting after {@code stateDir}. */
    public VhbaConfig(List<String> listen, Integer processors, String hostMemory, String miniport,
                      ControllerConfig controller, Integer ioTimeoutSeconds, Boolean verifier, String verifierPolicy,
                      Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, List<TargetConfig> targets,
                      String stateDir) {
        this(listen, processors, hostMemory, miniport, controller, ioTimeoutSeconds, verifier, verifierPolicy,
                nopInIntervalSeconds, nopInTimeoutSeconds, targets, stateDir, null, null, null, null, null, null, null, null, null);
    }

    /** A configuration without a state directory. */
    public VhbaConfig(List<String> listen, Integer processors, String hostMemory, String miniport,
                      ControllerConfig controller, Integer ioTimeoutSeconds, Boolean verifier, String verifierPolicy,
                      Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, List<TargetConfig> targets) {
        this(listen, processors, hostMemory, miniport, controller, ioTimeoutSeconds, verifier, verifierPolicy,
                nopInIntervalSeconds, nopInTimeoutSeconds, targets, null);
    }

    public VhbaConfig {
        listen = listen == null || listen.isEmpty() ? List.of("127.0.0.1:3260") : List.copyOf(listen);
        processors = processors == null ? Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())) : processors;
        hostMemory = hostMemory == null ? "1G" : hostMemory;
        miniport = miniport == null ? "mailbox" : miniport;
        controller = controller == null ? new ControllerConfig(null, null, null) : controller;
        ioTimeoutSeconds = ioTimeoutSeconds == null ? 60 : ioTimeoutSeconds;
        verifier = verifier == null || verifier;
        verifierPolicy = verifierPolicy == null ? "stop-adapter" : verifierPolicy;
        nopInIntervalSeconds = nopInIntervalSeconds == null ? 15 : nopInIntervalSeconds;
        // 90 s, not LIO's 30: initiators that service their socket only between commands must survive a minute
        // of sleep (libiscsi's Sanitize.Reset polls every 60 s; a dropped connection is a new nexus, and its
        // power-on unit attention would keep that poll failing forever)
        nopInTimeoutSeconds = nopInTimeoutSeconds == null ? DEFAULT_NOP_IN_TIMEOUT_SECONDS : nopInTimeoutSeconds;
        targets = targets == null || targets.isEmpty()
                ? List.of(new TargetConfig(DEFAULT_IQN, "vhba-disk0", null, null)) : List.copyOf(targets);
        limits = limits == null ? LimitsConfig.defaults() : limits;
        drivers = drivers == null ? List.of() : List.copyOf(drivers);
        startTimeoutSeconds = startTimeoutSeconds == null ? 10 : startTimeoutSeconds;
        dpcWatchdogSeconds = dpcWatchdogSeconds == null ? DEFAULT_DPC_WATCHDOG_SECONDS : dpcWatchdogSeconds;
        trace = trace;
        deterministic = deterministic;
        http = http;
        metrics = metrics == null || metrics;
    }

    /** The same configuration with {@code l} as its limits. */
    public VhbaConfig withLimits(LimitsConfig l) {
        return toBuilder().limits(l).build();
    }

    /** The same configuration with {@code c} as the CHAP that discovery sessions must pass. */
    public VhbaConfig withDiscoveryChap(ChapConfig c) {
        return toBuilder().discoveryChap(c).build();
    }

    /** The same configuration with the management API set to {@code http} (null: off). */
    public VhbaConfig withHttp(HttpConfig http) {
        return toBuilder().http(http).build();
    }

    /** This configuration in deterministic mode (null: free-running) and with a timeline (null: none). */
    public VhbaConfig with(DeterministicConfig deterministic, TraceConfig trace) {
        return toBuilder().deterministic(deterministic).trace(trace).build();
    }

    /** The embedded default. */
    public static VhbaConfig defaults() {
        return builder().build();
    }

    /** A builder whose unset settings take their defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.processors = processors;
        b.hostMemory = hostMemory;
        b.miniport = miniport;
        b.controller = controller;
        b.ioTimeoutSeconds = ioTimeoutSeconds;
        b.verifier = verifier;
        b.verifierPolicy = verifierPolicy;
        b.nopInIntervalSeconds = nopInIntervalSeconds;
        b.nopInTimeoutSeconds = nopInTimeoutSeconds;
        b.targets = targets;
        b.stateDir = stateDir;
        b.discoveryChap = discoveryChap;
        b.limits = limits;
        b.drivers = drivers;
        b.startTimeoutSeconds = startTimeoutSeconds;
        b.dpcWatchdogSeconds = dpcWatchdogSeconds;
        b.trace = trace;
        b.deterministic = deterministic;
        b.http = http;
        b.metrics = metrics;
        return b;
    }

    /** Builds a {@link VhbaConfig} by name rather than by position; null means the default. */
    public static final class Builder {
        private List<String> listen;
        private Integer processors;
        private String hostMemory;
        private String miniport;
        private ControllerConfig controller;
        private Integer ioTimeoutSeconds;
        private Boolean verifier;
        private String verifierPolicy;
        private Integer nopInIntervalSeconds;
        private Integer nopInTimeoutSeconds;
        private List<TargetConfig> targets;
        private String stateDir;
        private ChapConfig discoveryChap;
        private LimitsConfig limits;
        private List<String> drivers;
        private Integer startTimeoutSeconds;
        private Integer dpcWatchdogSeconds;
        private TraceConfig trace;
        private DeterministicConfig deterministic;
        private HttpConfig http;
        private Boolean metrics;

        private Builder() {}

        public Builder listen(List<String> v) { listen = v; return this; }
        public Builder processors(Integer v) { processors = v; return this; }
        public Builder hostMemory(String v) { hostMemory = v; return this; }
        public Builder miniport(String v) { miniport = v; return this; }
        public Builder controller(ControllerConfig v) { controller = v; return this; }
        public Builder ioTimeoutSeconds(Integer v) { ioTimeoutSeconds = v; return this; }
        public Builder verifier(Boolean v) { verifier = v; return this; }
        public Builder verifierPolicy(String v) { verifierPolicy = v; return this; }
        public Builder nopInIntervalSeconds(Integer v) { nopInIntervalSeconds = v; return this; }
        public Builder nopInTimeoutSeconds(Integer v) { nopInTimeoutSeconds = v; return this; }
        public Builder targets(List<TargetConfig> v) { targets = v; return this; }
        public Builder stateDir(String v) { stateDir = v; return this; }
        public Builder discoveryChap(ChapConfig v) { discoveryChap = v; return this; }
        public Builder limits(LimitsConfig v) { limits = v; return this; }
        public Builder drivers(List<String> v) { drivers = v; return this; }
        public Builder startTimeoutSeconds(Integer v) { startTimeoutSeconds = v; return this; }
        public Builder dpcWatchdogSeconds(Integer v) { dpcWatchdogSeconds = v; return this; }
        /** the timeline (null: none) */
        public Builder trace(TraceConfig v) { trace = v; return this; }
        /** deterministic mode (null: free-running) */
        public Builder deterministic(DeterministicConfig v) { deterministic = v; return this; }
        /** the management API (null: off) */
        public Builder http(HttpConfig v) { http = v; return this; }
        /** false turns off the data-path meters */
        public Builder metrics(Boolean v) { metrics = v; return this; }

        public VhbaConfig build() {
            return new VhbaConfig(listen, processors, hostMemory, miniport, controller, ioTimeoutSeconds, verifier,
                    verifierPolicy, nopInIntervalSeconds, nopInTimeoutSeconds, targets, stateDir, discoveryChap, limits,
                    drivers, startTimeoutSeconds, dpcWatchdogSeconds, metrics, http, deterministic, trace);
        }
    }

    public List<Portal> portals() {
        List<Portal> l = new ArrayList<>();
        for (String s : listen) {
            l.add(Portal.parse(s));
        }
        return l;
    }

    public long hostMemoryBytes() {
        return Sizes.parse("hostMemory", hostMemory);
    }

    public VerifierPolicy policy() {
        return switch (verifierPolicy.toLowerCase(Locale.ROOT)) {
            case "stop-adapter" -> VerifierPolicy.STOP_ADAPTER;
            case "throw" -> VerifierPolicy.THROW;
            case "log-only" -> VerifierPolicy.LOG_ONLY;
            default -> throw new ConfigException("verifierPolicy: '" + verifierPolicy + "' is not stop-adapter, throw or log-only");
        };
    }

    /** Checks everything; throws {@link ConfigException} with a one-line message naming the first problem. */
    public VhbaConfig validate() {
        portals();
        if (processors < 1 || processors > 64) {
            throw new ConfigException("processors: " + processors + " is outside 1..64");
        }
        if (hostMemoryBytes() < (64L << 20)) {
            throw new ConfigException("hostMemory: " + hostMemory + " is below the 64M minimum");
        }
        if (ioTimeoutSeconds < 1 || ioTimeoutSeconds > 3600) {
            throw new ConfigException("ioTimeoutSeconds: " + ioTimeoutSeconds + " is outside 1..3600");
        }
        if (nopInIntervalSeconds < 0 || nopInTimeoutSeconds < 1) {
            throw new ConfigException("nopInIntervalSeconds must be >= 0 and nopInTimeoutSeconds >= 1");
        }
        if (startTimeoutSeconds < 1 || startTimeoutSeconds > 3600) {
            throw new ConfigException("startTimeoutSeconds: " + startTimeoutSeconds + " is outside 1..3600");
        }
        if (dpcWatchdogSeconds < 1 || dpcWatchdogSeconds > 3600) {
            throw new ConfigException("dpcWatchdogSeconds: " + dpcWatchdogSeconds + " is outside 1..3600");
        }
        for (int i = 0; i < drivers.size(); i++) {
            if (drivers.get(i) == null || drivers.get(i).isBlank()) {
                throw new ConfigException("drivers[" + i + "]: an empty path");
            }
        }
        controller.options();
        policy();
        limits.validate();
        if (limits.sessionHostMemoryBytes() > hostMemoryBytes()) {
            throw new ConfigException("limits.sessionHostMemory: " + limits.sessionHostMemory() + " is more than hostMemory ("
                    + hostMemory + ")");
        }
        if (http != null) {
            http.validate();
        }
        if (discoveryChap != null) {
            discoveryChap.validate("discoveryChap");
        }
        if (stateDir != null) {
            java.nio.file.Path d = java.nio.file.Path.of(stateDir);
            if (java.nio.file.Files.exists(d) && !java.nio.file.Files.isDirectory(d)) {
                throw new ConfigException("stateDir: " + stateDir + " exists and is not a directory");
            }
        }
        if (trace != null) {
            trace.validate();
        }
        if (deterministic != null) {
            deterministic.validate();
            validateDeterministic();
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetConfig t = targets.get(i);
            t.validate("targets[" + i + "]");
            if (!names.add(t.iqn())) {
                throw new ConfigException("targets[" + i + "].iqn: " + t.iqn() + " is defined twice");
            }
        }
        return this;
    }

    /** What a recorded, replayable run cannot have: state from before it that the record does not hold. */
    private void validateDeterministic() {
        if (stateDir != null) {
            throw new ConfigException("deterministic mode: --state-dir is refused (reservations kept from an earlier run "
                    + "are not in the record)");
        }
        for (TargetConfig t : targets) {
            for (LunConfig l : t.luns()) {
                if (l.file() != null) {
                    throw new ConfigException("deterministic mode: " + t.iqn() + " LUN " + l.lun() + " is backed by "
                            + l.file() + "; only RAM disks can be replayed (a file's earlier contents are not recorded)");
                }
            }
            if (t.chap() != null && deterministic.record() != null) {
                throw new ConfigException("deterministic mode: " + t.iqn() + " uses CHAP; a record would have to hold its "
                        + "secret to replay the login, so CHAP targets cannot be recorded");
            }
        }
        if (discoveryChap != null && deterministic.record() != null) {
            throw new ConfigException("deterministic mode: discoveryChap is set; a record would have to hold its secret to "
                    + "replay the login, so it cannot be recorded");
        }
    }
}
