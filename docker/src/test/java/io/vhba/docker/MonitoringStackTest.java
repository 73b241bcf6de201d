package io.vhba.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/compose.monitoring.yaml and what it mounts agree with each other: the Prometheus job scrapes
 * the port and path the vHBA service serves, with the token file both are given; Grafana gets the
 * provisioning whose datasource the dashboard names and whose provider path holds the dashboard.
 */
class MonitoringStackTest {
    private static JsonNode services;
    private static JsonNode compose;

    @BeforeAll
    static void read() {
        compose = MonitoringFiles.yaml(MonitoringFiles.compose());
        services = compose.path("services");
    }

    @Test
    void vhbaBuildsFromTheRepositoryRootWithTheImagesDockerfile() {
        JsonNode build = services.path("vhba").path("build");
        Path context = ModuleFiles.moduleDir().resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(ModuleFiles.repositoryRoot());
        assertThat(context.resolve(build.path("dockerfile").asText()).normalize()).isEqualTo(ModuleFiles.dockerfile());
    }

    @Test
    void everyImageIsPinnedToAVersion() {
        services.fields().forEachRemaining(e -> {
            if (e.getValue().has("build")) {
                return; // built here
            }
            String image = e.getValue().path("image").asText();
            assertThat(image).as("service %s", e.getKey()).matches("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+");
        });
        assertThat(services.path("prometheus").path("image").asText()).startsWith("prom/prometheus:");
        assertThat(services.path("grafana").path("image").asText()).startsWith("grafana/grafana:");
    }

    @Test
    void prometheusScrapesTheManagementApiWithTheTokenVhbaIsGiven() {
        JsonNode prom = MonitoringFiles.yaml(MonitoringFiles.prometheusConfig());
        JsonNode job = prom.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        String target = job.path("static_configs").get(0).path("targets").get(0).asText();
        JsonNode env = services.path("vhba").path("environment");
        String listen = env.path("VHBA_HTTP").asText();
        // vhba:PORT, where PORT is the one VHBA_HTTP listens on (on every interface of the container).
        assertThat(target).isEqualTo("vhba:" + listen.substring(listen.lastIndexOf(':') + 1));
        assertThat(listen).startsWith("0.0.0.0:");

        // A non-loopback management address needs a token: both read the same file from the same volume.
        String tokenFile = job.path("authorization").path("credentials_file").asText();
        assertThat(job.path("authorization").path("type").asText()).isEqualTo("Bearer");
        assertThat(env.path("VHBA_HTTP_TOKEN_FILE").asText()).isEqualTo(tokenFile);
        assertThat(env.has("VHBA_HTTP_TOKEN")).as("the token comes from a file, never the compose file").isFalse();
        String vhbaVolume = volumeAt(services.path("vhba"), Path.of(tokenFile).getParent().toString());
        String promVolume = volumeAt(services.path("prometheus"), Path.of(tokenFile).getParent().toString());
        assertThat(vhbaVolume).isEqualTo(promVolume);
        assertThat(compose.path("volumes").has(vhbaVolume)).isTrue();
        assertThat(volumeAt(services.path("token-init"), Path.of(tokenFile).getParent().toString())).isEqualTo(vhbaVolume);
        assertThat(String.join(" ", strings(services.path("token-init").path("command")))).contains(tokenFile);
    }

    @Test
    void prometheusGetsItsConfiguration() {
        JsonNode prom = services.path("prometheus");
        Map<String, String> mounts = bindMounts(prom);
        assertThat(mounts).containsEntry("/etc/prometheus/prometheus.yml", MonitoringFiles.prometheusConfig().toString());
        assertThat(strings(prom.path("command"))).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    void promtoolAcceptsThePrometheusConfiguration(@TempDir Path tmp) throws Exception {
        // promtool checks that credentials_file exists: point it at a stand-in for the volume's token.
        Path token = Files.writeString(tmp.resolve("http-token"), "0123456789abcdef");
        String config = Files.readString(MonitoringFiles.prometheusConfig())
                .replace("/run/vhba/http-token", token.toString());
        Path copy = Files.writeString(tmp.resolve("prometheus.yml"), config);
        Scripts.Finished r = Promtool.run("check", "config", copy.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @Test
    void grafanaIsProvisionedWithTheDatasourceAndTheDashboard() {
        Map<String, String> mounts = bindMounts(services.path("grafana"));
        Path provisioning = Path.of(mounts.get("/etc/grafana/provisioning"));
        assertThat(provisioning).isEqualTo(MonitoringFiles.grafanaDir().resolve("provisioning"));

        JsonNode ds = MonitoringFiles.yaml(provisioning.resolve("datasources/prometheus.yaml")).path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(services.has("prometheus")).isTrue();

        // The provider's path is where compose mounts docker/grafana/dashboards, which holds the dashboard.
        JsonNode provider = MonitoringFiles.yaml(provisioning.resolve("dashboards/vhba.yaml")).path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        Path inContainer = Path.of(provider.path("options").path("path").asText());
        Path onHost = Path.of(mounts.get(inContainer.toString()));
        assertThat(onHost.resolve("vhba.json")).isEqualTo(MonitoringFiles.dashboard());
        assertThat(services.path("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText())
                .isEqualTo(inContainer.resolve("vhba.json").toString());

        // Every panel and the template variable use that datasource, by uid.
        JsonNode dashboard = MonitoringFiles.json(MonitoringFiles.dashboard());
        String uid = ds.path("uid").asText();
        assertThat(uid).isNotBlank();
        List<String> uids = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            if (!p.path("type").asText().equals("row")) {
                uids.add(p.path("datasource").path("uid").asText());
                p.path("targets").forEach(t -> uids.add(t.path("datasource").path("uid").asText()));
            }
        });
        dashboard.path("templating").path("list").forEach(v -> uids.add(v.path("datasource").path("uid").asText()));
        assertThat(uids).isNotEmpty().containsOnly(uid);
    }

    /** The named volume mounted at {@code containerPath} in {@code service}. */
    private static String volumeAt(JsonNode service, String containerPath) {
        for (String v : strings(service.path("volumes"))) {
            String[] parts = v.split(":");
            if (parts.length >= 2 && parts[1].equals(containerPath) && !parts[0].startsWith(".")) {
                return parts[0];
            }
        }
        throw new AssertionError("no named volume at " + containerPath + " in " + service.path("volumes"));
    }

    /** Bind mounts of {@code service}: container path -> host path, resolved against the compose file's directory. */
    private static Map<String, String> bindMounts(JsonNode service) {
        Map<String, String> m = new HashMap<>();
        for (String v : strings(service.path("volumes"))) {
            String[] parts = v.split(":");
            if (parts[0].startsWith(".")) {
                Path host = ModuleFiles.moduleDir().resolve(parts[0]).normalize();
                assertThat(host).as("bind mount %s", v).exists();
                m.put(parts[1], host.toString());
            }
        }
        return m;
    }

    private static List<String> strings(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
