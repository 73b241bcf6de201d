package io.vhba.emulator.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where CHAP secrets come from: a file or an environment variable, never the command line (argv is visible to every
 * user of the host in {@code ps}). Errors name the file or variable, never the secret.
 *
 * <p>Length: RFC 7143 §12.1.3 requires IPsec for CHAP secrets of fewer than 96 random bits; vHBA has no IPsec, so
 * it refuses secrets shorter than 12 bytes (Microsoft's initiator insists on 12 too; libiscsi and LIO would accept
 * shorter ones). 255 bytes is the most it takes (LIO's limit is 256).
 */
public final class Secrets {
    public static final int MIN_BYTES = 12;
    public static final int MAX_BYTES = 255;
    /** A secrets file is small; reading stops here so that a wrong path (a device, a log) cannot exhaust memory. */
    static final int MAX_FILE_BYTES = 4096;

    private Secrets() {}

    /** The text of a small UTF-8 file, without one trailing line end. */
    static String readText(String what, Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + ": " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(what + ": " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(what + ": " + file + " is longer than " + MAX_FILE_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(what + ": " + file + " is not UTF-8 text");
        }
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** A secret that is the whole content of {@code file} (one trailing line end is dropped). */
    public static String fromFile(String what, Path file) {
        String s = readText(what, file);
        if (s.indexOf('\n') >= 0) {
            throw new ConfigException(what + ": " + file + " holds more than one line; the secret is the whole file");
        }
        return checked(what + " (" + file + ")", s);
    }

    /** A secret in the environment variable {@code variable}. */
    public static String fromEnv(String what, String variable, Function<String, String> env) {
        String s = env.apply(variable);
        if (s == null) {
            throw new ConfigException(what + ": the environment variable " + variable + " is not set");
        }
        return checked(what + " (" + variable + ")", s);
    }

    /** {@code secret} if its length is within {@link #MIN_BYTES}..{@link #MAX_BYTES} UTF-8 bytes. */
    public static String checked(String what, String secret) {
        int n = secret.getBytes(StandardCharsets.UTF_8).length;
        if (n == 0) {
            throw new ConfigException(what + ": the CHAP secret is empty");
        }
        if (n < MIN_BYTES) {
            throw new ConfigException(what + ": the CHAP secret has " + n + " bytes; at least " + MIN_BYTES
                    + " are required (RFC 7143 §12.1.3: 96 bits without IPsec)");
        }
        if (n > MAX_BYTES) {
            throw new ConfigException(what + ": the CHAP secret has " + n + " bytes; at most " + MAX_BYTES + " are taken");
        }
        return secret;
    }
}
