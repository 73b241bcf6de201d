package io.vhba.emulator.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jscsi.exception.ConfigurationException;
import org.jscsi.initiator.Configuration;
import org.jscsi.initiator.Initiator;

/**
 * The two real files jSCSI 2.2 reads its configuration from ({@code Configuration.create(xsd, xml)}
 * validates the XML against the schema file): the schema jSCSI ships in its own jar, and a
 * configuration naming one target by {@link #TARGET_ID}.
 */
public record JscsiConfigFiles(Path xsd, Path xml) {
    /** The id jSCSI's {@code Initiator} calls the target by (the {@code id} attribute of {@code <target>}). */
    public static final String TARGET_ID = "disk0";

    /**
     * Every operational key jSCSI offers at login. jSCSI does not apply the schema's defaults: a key
     * missing from {@code <global>} makes {@code Configuration.getSetting} dereference a null entry
     * (NullPointerException "se is null") when the session is created. Values are RFC 7143 §13
     * defaults, except MaxRecvDataSegmentLength (8 KiB, so Data-In is split into many PDUs).
     */
    private static final Map<String, String> GLOBAL_KEYS = globalKeys();

    private static Map<String, String> globalKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("AuthMethod", "None");
        m.put("DataDigest", "None");
        m.put("DataPDUInOrder", "Yes");
        m.put("DataSequenceInOrder", "Yes");
        m.put("DefaultTime2Retain", "20");
        m.put("DefaultTime2Wait", "2");
        m.put("ErrorRecoveryLevel", "0");
        m.put("FirstBurstLength", "65536");
        m.put("HeaderDigest", "None");
        m.put("IFMarker", "No");
        m.put("IFMarkInt", "2048");
        m.put("ImmediateData", "Yes");
        m.put("InitialR2T", "Yes");
        m.put("MaxBurstLength", "262144");
        m.put("MaxConnections", "1");
        m.put("MaxOutstandingR2T", "1");
        m.put("MaxRecvDataSegmentLength", "8192");
        m.put("OFMarker", "No");
        m.put("OFMarkInt", "2048");
        m.put("SessionType", "Normal");
        return Map.copyOf(m);
    }

    /** Writes {@code jscsi.xsd} and {@code <alias>.xml} into {@code dir} for an initiator called {@code initiatorName}. */
    public static JscsiConfigFiles write(Path dir, String initiatorName, String alias, String targetName, String host, int port) {
        try {
            Files.createDirectories(dir);
            Path xsd = dir.resolve("jscsi.xsd");
            try (InputStream in = Initiator.class.getResourceAsStream("/jscsi.xsd")) {
                if (in == null) {
                    throw new IllegalStateException("jscsi.xsd is missing from the jSCSI initiator jar");
                }
                Files.write(xsd, in.readAllBytes());
            }
            Path xml = dir.resolve(alias + ".xml");
            Files.writeString(xml, xml(initiatorName, alias, targetName, host, port));
            return new JscsiConfigFiles(xsd, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String xml(String initiatorName, String alias, String targetName, String host, int port) {
        StringBuilder global = new StringBuilder();
        // xs:all in the schema: any order; sorted for a stable file.
        GLOBAL_KEYS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> global.append(element(e.getKey(), e.getValue())));
        global.append(element("InitiatorAlias", alias)).append(element("InitiatorName", initiatorName));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration xmlns="http://www.jscsi.org/2006-09">
                  <global>
                %s  </global>
                  <target id="%s" address="%s" port="%d">
                    <TargetName>%s</TargetName>
                  </target>
                </configuration>
                """.formatted(global, TARGET_ID, host, port, targetName);
    }

    private static String element(String name, String value) {
        return "    <" + name + ">" + value + "</" + name + ">\n";
    }

    /** A fresh configuration: jSCSI writes negotiated values back into it, so every initiator gets its own. */
    public Configuration configuration() {
        try {
            return Configuration.create(xsd.toFile(), xml.toFile());
        } catch (ConfigurationException e) {
            throw new IllegalStateException("jSCSI rejected " + xml, e);
        }
    }
}
