package io.vhba.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The monitoring stack's files under docker/: compose file, Prometheus configuration, Grafana provisioning and dashboard. */
final class MonitoringFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringFiles() {}

    static Path compose() {
        return ModuleFiles.moduleDir().resolve("compose.monitoring.yaml");
    }

    static Path prometheusConfig() {
        return ModuleFiles.moduleDir().resolve("prometheus/prometheus.yml");
    }

    static Path grafanaDir() {
        return ModuleFiles.moduleDir().resolve("grafana");
    }

    static Path dashboard() {
        return grafanaDir().resolve("dashboards/vhba.json");
    }

    static JsonNode yaml(Path p) {
        try {
            return YAML.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(p + " is not YAML", e);
        }
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(p + " is not JSON", e);
        }
    }

    /** A panel's queries: each one's refId and PromQL. */
    record Query(int panelId, String panelTitle, String refId, String expr) {}

    /** Every query of every panel of the dashboard (rows hold none here: they are not collapsed). */
    static List<Query> queries(JsonNode dashboard) {
        List<Query> l = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                l.add(new Query(p.path("id").asInt(), p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return l;
    }
}
