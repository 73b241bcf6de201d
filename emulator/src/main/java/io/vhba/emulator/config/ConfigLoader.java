package io.vhba.emulator.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a configuration file (YAML, or JSON, which is YAML too) into a validated {@link VhbaConfig}. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {}

    public static VhbaConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config " + file + ": no such file");
        }
        try {
            VhbaConfig c = YAML.readValue(file.toFile(), VhbaConfig.class);
            if (c == null) {
                c = VhbaConfig.defaults();
            }
            return c.validate();
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("config " + file + at(e.getLocation()) + ": unknown setting '" + e.getPropertyName() + "'");
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw new ConfigException("config " + file + ": " + ce.getMessage());
            }
            throw new ConfigException("config " + file + at(e.getLocation()) + ": " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": " + e.getMessage());
        }
    }

    private static String at(JsonLocation l) {
        return l == null ? "" : " line " + l.getLineNr();
    }
}
