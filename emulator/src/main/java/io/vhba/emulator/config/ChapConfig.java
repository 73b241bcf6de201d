package io.vhba.emulator.config;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CHAP secrets of a target or of discovery (RFC 7143 §12.1.3). With {@code user} and a secret the initiator must
 * authenticate; with {@code mutualUser} and a mutual secret as well, the target proves itself back. Each secret comes
 * from exactly one place: inline ({@code secret}), a file ({@code secretFile}: the whole file, one trailing line end
 * dropped) or an environment variable ({@code secretEnv}: its name). Secrets are never logged.
 */
public record ChapConfig(String user, String secret, String secretFile, String secretEnv, String mutualUser,
                         String mutualSecret, String mutualSecretFile, String mutualSecretEnv) {

    /** Inline secrets. */
    public ChapConfig(String user, String secret, String mutualUser, String mutualSecret) {
        this(user, secret, null, null, mutualUser, mutualSecret, null, null);
    }

    void validate(String where) {
        validate(where, System::getenv);
    }

    void validate(String where, Function<String, String> env) {
        if (user == null || user.isEmpty()) {
            throw new ConfigException(where + ".user: CHAP needs a user name");
        }
        if (sources(secret, secretFile, secretEnv) != 1) {
            throw new ConfigException(where + ": CHAP needs exactly one of secret, secretFile and secretEnv");
        }
        boolean mutual = mutualUser != null || sources(mutualSecret, mutualSecretFile, mutualSecretEnv) > 0;
        if (mutual && (mutualUser == null || mutualUser.isEmpty()
                || sources(mutualSecret, mutualSecretFile, mutualSecretEnv) != 1)) {
            throw new ConfigException(where + ": mutual CHAP needs mutualUser and exactly one of mutualSecret,"
                    + " mutualSecretFile and mutualSecretEnv");
        }
        String s = secretValue(where, env);
        if (mutual && s.equals(mutualSecretValue(where, env))) {
            // §12.1.3: a secret must not authenticate both directions (reflection attacks)
            throw new ConfigException(where + ": the mutual secret must differ from the initiator's secret");
        }
    }

    /** Whether the target authenticates itself to initiators that ask (mutual CHAP). */
    public boolean mutual() {
        return mutualUser != null;
    }

    /** The initiator's secret, read from where it is kept. */
    public String secretValue(String where, Function<String, String> env) {
        return resolve(where + ".secret", secret, secretFile, secretEnv, env);
    }

    /** The target's secret for mutual CHAP, or null. */
    public String mutualSecretValue(String where, Function<String, String> env) {
        return mutual() ? resolve(where + ".mutualSecret", mutualSecret, mutualSecretFile, mutualSecretEnv, env) : null;
    }

    private static String resolve(String what, String inline, String file, String variable, Function<String, String> env) {
        if (inline != null) {
            return Secrets.checked(what, inline);
        }
        if (file != null) {
            return Secrets.fromFile(what + "File", Path.of(file));
        }
        return Secrets.fromEnv(what + "Env", variable, env);
    }

    private static long sources(String... values) {
        return Stream.of(values).filter(v -> v != null).count();
    }

    @Override
    public String toString() {
        return "ChapConfig[user=" + user + ", secret=<redacted>, mutualUser=" + mutualUser + ", mutualSecret=<redacted>]";
    }
}
