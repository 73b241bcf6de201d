package io.vhba.emulator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, from {@code io/vhba/emulator/version.properties} (filtered by Maven at build time). */
public final class VhbaVersion {
    private static final String VERSION = load();

    private VhbaVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = VhbaVersion.class.getResourceAsStream("/io/vhba/emulator/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = VhbaVersion.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
