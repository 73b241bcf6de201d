package io.vhba.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.VhbaConfig;
import java.time.Duration;
import java.util.List;

/**
 * The builder's settings as the tree a YAML configuration file holds, read into a {@link VhbaConfig}
 * the way {@code ConfigLoader} reads a file. Going through the file's keys rather than the records'
 * constructors keeps the extension in step with the file format (a new, optional setting changes
 * nothing here) and gives a bad value the same one-line message a file would get.
 */
final class ConfigTree {
    /** Loopback and a port the OS picks: tests never use fixed ports, and nothing outside can reach the target. */
    static final String LISTEN = "127.0.0.1:0";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigTree() {}

    static VhbaConfig toConfig(String iqn, List<LunSpec> luns, String miniport, int processors, Duration ioTimeout,
                               ChapSpec chap) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("listen").add(LISTEN);
        root.put("processors", processors);
        root.put("miniport", miniport);
        if (ioTimeout != null) {
            root.put("ioTimeoutSeconds", ioTimeoutSeconds(ioTimeout));
        }
        ObjectNode target = root.putArray("targets").addObject();
        target.put("iqn", iqn);
        if (chap != null) {
            ObjectNode c = target.putObject("chap");
            c.put("user", chap.user());
            c.put("secret", chap.secret());
            if (chap.mutualUser() != null) {
                c.put("mutualUser", chap.mutualUser());
                c.put("mutualSecret", chap.mutualSecret());
            }
        }
        if (!luns.isEmpty()) { // none: the file format's default LUN 0
            ArrayNode l = target.putArray("luns");
            for (LunSpec s : luns) {
                l.addObject().put("lun", s.lun()).put("size", s.size()).put("blockSize", s.blockSize())
                        .put("readOnly", s.readOnly());
            }
        }
        try {
            return JSON.treeToValue(root, VhbaConfig.class).validate();
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException ce) {
                    throw ce; // a record refused a value
                }
            }
            throw new ConfigException(e.getOriginalMessage().split("\n")[0]);
        }
    }

    /** The configuration counts whole seconds; a fraction would silently change the test's timing. */
    private static long ioTimeoutSeconds(Duration d) {
        if (d.isNegative() || d.isZero() || d.getNano() != 0) {
            throw new ConfigException("ioTimeout: " + d + " is not a positive whole number of seconds");
        }
        return d.getSeconds();
    }
}
