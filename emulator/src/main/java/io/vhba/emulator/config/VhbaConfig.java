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
 * APTPL, SPC-4 5.13.5); without it, APTPL=1 is refused.
 */
public record VhbaConfig(List<String> listen, Integer processors, String hostMemory, String miniport,
                         ControllerConfig controller, Integer ioTimeoutSeconds, Boolean verifier, String verifierPolicy,
                         Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, List<TargetConfig> targets,
                         String stateDir, DeterministicConfig deterministic, TraceConfig trace) {

    public static final String DEFAULT_IQN = "iqn.2026-11.io.vhba:disk0";
    /** How long a target ping may go unanswered before the connection is dropped, by default. */
    public static final int DEFAULT_NOP_IN_TIMEOUT_SECONDS = 90;

    /** A free-running configuration without a trace. */
    public VhbaConfig(List<String> listen, Integer processors, String hostMemory, String miniport,
                      ControllerConfig controller, Integer ioTimeoutSeconds, Boolean verifier, String verifierPolicy,
                      Integer nopInIntervalSeconds, Integer nopInTimeoutSeconds, List<TargetConfig> targets,
                      String stateDir) {
        this(listen, processors, hostMemory, miniport, controller, ioTimeoutSeconds, verifier, verifierPolicy,
                nopInIntervalSeconds, nopInTimeoutSeconds, targets, stateDir, null, null);
    }

    /** This configuration in deterministic mode (null: free-running) and with a timeline (null: none). */
    public VhbaConfig with(DeterministicConfig deterministic, TraceConfig trace) {
        return new VhbaConfig(listen, processors, hostMemory, miniport, controller, ioTimeoutSeconds, verifier,
                verifierPolicy, nopInIntervalSeconds, nopInTimeoutSeconds, targets, stateDir, deterministic, trace);
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
    }

    /** The embedded default. */
    public static VhbaConfig defaults() {
        return new VhbaConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
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
        controller.options();
        policy();
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
    }
}
