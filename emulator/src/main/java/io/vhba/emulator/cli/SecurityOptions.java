package io.vhba.emulator.cli;

import io.vhba.emulator.config.AclEntryConfig;
import io.vhba.emulator.config.ChapConfig;
import io.vhba.emulator.config.ChapFile;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.LimitsConfig;
import io.vhba.emulator.config.Secrets;
import io.vhba.emulator.config.Sizes;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code serve}'s options for who gets in and how much they may hold: the initiator allow-list and CHAP of the
 * command line's target, discovery CHAP, and the limits against exhaustion. Secrets come from files or the
 * environment, never from argv (docs/security.md).
 */
final class SecurityOptions {
    static final String CHAP_SECRET_ENV = "VHBA_CHAP_SECRET";
    static final String MUTUAL_CHAP_SECRET_ENV = "VHBA_MUTUAL_CHAP_SECRET";

    @Option(names = "--allow", paramLabel = "IQN",
            description = "Let this initiator log in (repeatable); a name ending in * allows every name with that prefix. "
                    + "With --allow, every other initiator is refused (login status 0x0202) and discovery hides the target.")
    List<String> allow;

    @Option(names = "--chap-user", paramLabel = "USER",
            description = "Require CHAP: the user name initiators must give. The secret comes from --chap-secret-file or "
                    + "the environment variable " + CHAP_SECRET_ENV + ".")
    String chapUser;

    @Option(names = "--chap-secret-file", paramLabel = "FILE", description = "A file holding the CHAP secret (12 to 255 bytes).")
    Path chapSecretFile;

    @Option(names = "--mutual-chap-user", paramLabel = "USER",
            description = "Mutual CHAP: the name the target answers with. The secret comes from --mutual-chap-secret-file "
                    + "or the environment variable " + MUTUAL_CHAP_SECRET_ENV + ".")
    String mutualChapUser;

    @Option(names = "--mutual-chap-secret-file", paramLabel = "FILE", description = "A file holding the target's CHAP secret.")
    Path mutualChapSecretFile;

    @Option(names = "--discovery-chap-file", paramLabel = "FILE",
            description = "Require CHAP of discovery (SendTargets) sessions: line 1 user:secret, optional line 2 "
                    + "user:secret for mutual CHAP.")
    Path discoveryChapFile;

    @Option(names = "--max-sessions", paramLabel = "N", description = "Sessions in total. Default: 256.")
    Integer maxSessions;

    @Option(names = "--max-sessions-per-target", paramLabel = "N", description = "Sessions per target. Default: 64.")
    Integer maxSessionsPerTarget;

    @Option(names = "--max-logins-in-progress", paramLabel = "N",
            description = "Connections still logging in, over all portals; past it the oldest is closed. Default: 128.")
    Integer maxLoginsInProgress;

    @Option(names = "--login-timeout", paramLabel = "SECONDS",
            description = "A connection that has not finished its login by then is closed. Default: 15.")
    Integer loginTimeout;

    @Option(names = "--session-memory", paramLabel = "SIZE", converter = SizeText.class,
            description = "Host memory the commands of one session may hold; past it, TASK SET FULL. Default: 64M.")
    String sessionMemory;

    /** Where environment variables are read (tests replace it). */
    Function<String, String> env = System::getenv;

    /** Applies these options to {@code c}; {@code fromFile} when a --config file describes the targets. */
    VhbaConfig apply(VhbaConfig c, boolean fromFile) {
        VhbaConfig out = c.withLimits(limits(c.limits()));
        if (discoveryChapFile != null) {
            out = out.withDiscoveryChap(ChapFile.read("--discovery-chap-file", discoveryChapFile));
        }
        boolean targetOptions = allow != null || chapUser != null || chapSecretFile != null || mutualChapUser != null
                || mutualChapSecretFile != null;
        if (fromFile) {
            if (targetOptions) {
                throw new ConfigException("--config describes the targets: give their acl and chap in the file, not"
                        + " --allow, --chap-user, --mutual-chap-user or their secret files");
            }
            unusedEnvironment(CHAP_SECRET_ENV, "--chap-user");
            unusedEnvironment(MUTUAL_CHAP_SECRET_ENV, "--mutual-chap-user");
            return out;
        }
        TargetConfig t = out.targets().get(0);
        if (allow != null) {
            t = t.withAcl(allow.stream().map(AclEntryConfig::of).toList());
        }
        ChapConfig chap = chap();
        if (chap != null) {
            t = t.withChap(chap);
        }
        List<TargetConfig> targets = new ArrayList<>(out.targets());
        targets.set(0, t);
        return out.toBuilder().targets(targets).build();
    }

    /** The command line target's CHAP, its secrets read now so that a bad file fails before anything starts. */
    private ChapConfig chap() {
        if (chapUser == null) {
            if (chapSecretFile != null || mutualChapUser != null || mutualChapSecretFile != null) {
                throw new ConfigException("--chap-secret-file, --mutual-chap-user and --mutual-chap-secret-file need --chap-user");
            }
            unusedEnvironment(CHAP_SECRET_ENV, "--chap-user");
            unusedEnvironment(MUTUAL_CHAP_SECRET_ENV, "--mutual-chap-user");
            return null;
        }
        String secret = secret("--chap-secret-file", chapSecretFile, CHAP_SECRET_ENV);
        if (mutualChapUser == null) {
            if (mutualChapSecretFile != null) {
                throw new ConfigException("--mutual-chap-secret-file needs --mutual-chap-user");
            }
            unusedEnvironment(MUTUAL_CHAP_SECRET_ENV, "--mutual-chap-user");
            return new ChapConfig(chapUser, secret, null, null);
        }
        return new ChapConfig(chapUser, secret, mutualChapUser,
                secret("--mutual-chap-secret-file", mutualChapSecretFile, MUTUAL_CHAP_SECRET_ENV));
    }

    private String secret(String fileOption, Path file, String variable) {
        String fromEnv = value(variable);
        if (file != null && fromEnv != null) {
            throw new ConfigException("give the secret once: " + fileOption + " or " + variable + ", not both");
        }
        if (file != null) {
            return Secrets.fromFile(fileOption, file);
        }
        if (fromEnv == null) {
            throw new ConfigException(fileOption.replace("-secret-file", "-user") + " needs " + fileOption
                    + " FILE or the environment variable " + variable);
        }
        return Secrets.checked(variable, fromEnv);
    }

    /** A secret in the environment that nothing would use means CHAP the user believes is on is off: refuse. */
    private void unusedEnvironment(String variable, String option) {
        if (value(variable) != null) {
            throw new ConfigException(variable + " is set but " + option + " is not given; the secret would go unused");
        }
    }

    private String value(String variable) {
        String v = env.apply(variable);
        return v == null || v.isEmpty() ? null : v;
    }

    private LimitsConfig limits(LimitsConfig base) {
        return new LimitsConfig(maxSessions != null ? maxSessions : base.maxSessions(),
                maxSessionsPerTarget != null ? maxSessionsPerTarget : base.maxSessionsPerTarget(),
                maxLoginsInProgress != null ? maxLoginsInProgress : base.maxLoginsInProgress(),
                base.maxLoginsInProgressPerPortal(), loginTimeout != null ? loginTimeout : base.loginTimeoutSeconds(),
                sessionMemory != null ? sessionMemory : base.sessionHostMemory(), base.connectionWriteBuffer(),
                base.maxOutstandingR2tPerSession(), base.sessionQueuedCommandData());
    }

    /** A size as text, checked at parse time so that a typo is reported as the option's. */
    static final class SizeText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Sizes.parse("--session-memory", value);
                return value;
            } catch (ConfigException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
