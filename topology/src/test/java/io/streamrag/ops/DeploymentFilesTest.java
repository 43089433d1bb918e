package io.streamrag.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployable stack's files agree with each other and with the repository, checked without Docker: the compose
 * file is well-formed and starts in a healthy order, everything it mounts or builds exists, the Debezium connector
 * writes the topic the app is told to read, and the dashboard queries only metrics the app is known to publish.
 */
class DeploymentFilesTest {

    /**
     * The Prometheus series the dashboard may query: what the app's Micrometer registry publishes, as assumed when
     * the dashboard was written. Histograms and summaries are listed by base name; their _bucket, _sum, _count and
     * _max series are accepted. Keep in step with the app's meters.
     */
    static final Set<String> KNOWN_METRICS = Set.of(
            "streamrag_ingest_documents_total",
            "streamrag_ingest_chunks_total",
            "streamrag_ingest_chunks_embedded_total",
            "streamrag_ingest_chunks_reused_total",
            "streamrag_ingest_freshness_seconds",
            "streamrag_worker_batch_size",
            "streamrag_worker_queue_wait_seconds",
            "streamrag_qa_answers_total",
            "streamrag_qa_stage_seconds",
            "streamrag_dead_letters_total",
            "kafka_consumer_fetch_manager_records_lag");

    private static final Pattern METRIC_SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void readCompose() throws IOException {
        root = repositoryRoot();
        Path file = root.resolve("docker-compose.yml");
        // Jackson first: the file must be well-formed YAML to any reader, not only to SnakeYAML
        assertThat(new YAMLMapper().readTree(file.toFile()).isObject()).isTrue();
        // SnakeYAML (under Jackson's YAML module) resolves anchors and << merge keys as docker compose does
        try (Reader reader = Files.newBufferedReader(file)) {
            compose = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader), "docker-compose.yml");
        }
        services = new HashMap<>();
        map(compose.get("services"), "services").forEach((name, def) -> services.put(name, map(def, name)));
    }

    @Test
    void composeDefinesTheWholeStack() {
        assertThat(services).containsKeys("kafka", "schema-registry", "connect", "register-connector", "postgres",
                "qdrant", "ingest", "qa", "prometheus", "grafana");
        assertThat(services.get("kafka").get("image").toString()).startsWith("apache/kafka:");
        assertThat(services.get("schema-registry").get("image").toString())
                .startsWith("confluentinc/cp-schema-registry:");
        assertThat(list(services.get("postgres").get("command"))).contains("wal_level=logical");
        assertThat(list(services.get("ingest").get("command"))).containsSubsequence("--role", "ingest");
        assertThat(list(services.get("qa").get("command"))).containsSubsequence("--role", "qa");
    }

    @Test
    void everyDependencyWaitsForAHealthySetUpOrAFinishedOneShot() {
        int checked = 0;
        for (var service : services.entrySet()) {
            Object dependsOn = service.getValue().get("depends_on");
            if (dependsOn == null) {
                continue;
            }
            // the short list form only waits for "started": every dependency must name its condition
            for (var dependency : map(dependsOn, service.getKey() + ".depends_on").entrySet()) {
                String target = dependency.getKey();
                String where = service.getKey() + " -> " + target;
                assertThat(services).as(where + " names a defined service").containsKey(target);
                String condition = String.valueOf(map(dependency.getValue(), where).get("condition"));
                Map<String, Object> dependencyService = services.get(target);
                if (condition.equals("service_healthy")) {
                    Map<String, Object> health = map(dependencyService.get("healthcheck"), target + ".healthcheck");
                    assertThat(list(health.get("test"))).as(where + ": health check").isNotEmpty()
                            .doesNotContain("NONE");
                } else {
                    assertThat(condition).as(where).isEqualTo("service_completed_successfully");
                    assertThat(dependencyService.get("restart")).as(target + " is a one-shot").isEqualTo("no");
                }
                assertThat(dependencyService.get("profiles")).as(where + ": a dependency in a profile would be"
                        + " missing from a plain `docker compose up`").isNull();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    @Test
    void hostPortsAreUnique() {
        Map<String, String> ownerByPort = new HashMap<>();
        for (var service : services.entrySet()) {
            for (Object mapping : list(service.getValue().get("ports"))) {
                String[] parts = mapping.toString().split(":");
                assertThat(parts).as(service.getKey() + " publishes " + mapping + " as host:container").hasSize(2);
                String previous = ownerByPort.put(parts[0], service.getKey());
                assertThat(previous).as("host port " + parts[0] + " of " + service.getKey()).isNull();
            }
        }
        assertThat(ownerByPort).containsKeys("29092", "8081", "8083", "9404", "9090", "3000");
    }

    @Test
    void everyFileMountedOrBuiltExists() throws IOException {
        List<String> checked = new ArrayList<>();
        for (var service : services.entrySet()) {
            for (Object volume : list(service.getValue().get("volumes"))) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(root.resolve(source).normalize()).as(service.getKey() + " mounts " + source).exists();
                    checked.add(source);
                } else {
                    assertThat(map(compose.get("volumes"), "volumes")).as(service.getKey() + " uses volume "
                            + source).containsKey(source);
                }
            }
            Object build = service.getValue().get("build");
            if (build != null) {
                Map<String, Object> b = map(build, service.getKey() + ".build");
                Path context = root.resolve(String.valueOf(b.get("context"))).normalize();
                Path dockerfile = context.resolve(String.valueOf(b.getOrDefault("dockerfile", "Dockerfile")));
                assertThat(dockerfile).as(service.getKey() + " builds " + dockerfile).isRegularFile();
                for (String copied : copySources(dockerfile)) {
                    assertThat(context.resolve(copied)).as(dockerfile + " copies " + copied).exists();
                    checked.add(copied);
                }
            }
        }
        // the one-shot runs the script with the connector config, both from the mounted folder
        Map<String, Object> register = services.get("register-connector");
        for (Object arg : concat(list(register.get("entrypoint")), list(register.get("command")))) {
            if (arg.toString().startsWith("/connectors/")) {
                assertThat(root.resolve("connectors").resolve(arg.toString().substring("/connectors/".length())))
                        .as("register-connector uses " + arg).isRegularFile();
                checked.add(arg.toString());
            }
        }
        assertThat(root.resolve("connectors/register-connector.sh")).isExecutable();
        assertThat(checked).contains("./connectors/sql/documents.sql", "./ops/prometheus/prometheus.yml",
                "topology/src", "/connectors/postgres-documents.json");
    }

    @Test
    void theGpuProfileReservesNvidiaDevicesAndBuildsTheCudaVariant() {
        for (String name : List.of("ingest-gpu", "qa-gpu")) {
            Map<String, Object> service = services.get(name);
            assertThat(list(service.get("profiles"))).as(name).containsExactly("gpu");
            Map<String, Object> build = map(service.get("build"), name + ".build");
            assertThat(map(build.get("args"), name + ".build.args")).containsEntry("VARIANT", "cuda");
            Map<String, Object> reservations = map(map(map(service.get("deploy"), "deploy").get("resources"),
                    "resources").get("reservations"), "reservations");
            Map<String, Object> device = map(list(reservations.get("devices")).get(0), "device");
            assertThat(device).containsEntry("driver", "nvidia");
            assertThat(list(device.get("capabilities"))).contains("gpu");
            // the same app configuration as the CPU worker of the same role
            String cpuTwin = name.replace("-gpu", "");
            assertThat(service.get("environment")).isEqualTo(services.get(cpuTwin).get("environment"));
            assertThat(service.get("command")).isEqualTo(services.get(cpuTwin).get("command"));
        }
        assertThat(services.get("ingest").get("deploy")).isNull();
    }

    @Test
    void theConnectorWritesTheTopicTheIngestReads() throws IOException {
        JsonNode connector = new ObjectMapper().readTree(root.resolve("connectors/postgres-documents.json").toFile());
        Map<String, Object> ingestEnv = map(services.get("ingest").get("environment"), "ingest.environment");
        Map<String, Object> postgresEnv = map(services.get("postgres").get("environment"), "postgres.environment");
        Map<String, Object> connectEnv = map(services.get("connect").get("environment"), "connect.environment");

        String table = connector.path("table.include.list").asText();
        String topic = connector.path("topic.prefix").asText() + "." + table;
        assertThat(table).doesNotContain(",");
        assertThat(topic).isEqualTo("cdc.public.documents");
        // the ingest's CDC sources (connectors/streamrag-sources.yaml, mounted at STREAMRAG_CONFIG) read it
        assertThat(ingestEnv).containsKey("STREAMRAG_CONFIG");
        io.streamrag.app.config.AppConfig app = new io.streamrag.app.config.ConfigLoader(Map.of(),
                new java.util.Properties()).load(java.util.Optional.of(root.resolve(
                "connectors/streamrag-sources.yaml")), Map.of());
        assertThat(app.cdcSources()).anySatisfy(source -> assertThat(source.topics()).contains(topic));

        assertThat(connector.path("connector.class").asText()).endsWith("PostgresConnector");
        assertThat(connector.path("plugin.name").asText()).isEqualTo("pgoutput");
        assertThat(connector.path("publication.autocreate.mode").asText()).isEqualTo("filtered");
        assertThat(connector.path("tombstones.on.delete").asText()).isEqualTo("true");
        assertThat(connector.path("heartbeat.interval.ms").asInt()).isPositive();
        assertThat(connector.path("snapshot.mode").asText()).isNotEmpty();
        // the converters register where the app looks schemas up
        for (String converter : List.of("key.converter", "value.converter")) {
            assertThat(connector.path(converter).asText()).isEqualTo("io.confluent.connect.avro.AvroConverter");
            assertThat(connector.path(converter + ".schema.registry.url").asText())
                    .isEqualTo(ingestEnv.get("STREAMRAG_SCHEMA_REGISTRY_URL"));
        }
        // it reaches the compose database, whose init script creates the publication it names
        assertThat(services).containsKey(connector.path("database.hostname").asText());
        assertThat(connector.path("database.dbname").asText()).isEqualTo(postgresEnv.get("POSTGRES_DB"));
        assertThat(connector.path("database.user").asText()).isEqualTo(postgresEnv.get("POSTGRES_USER"));
        String sql = Files.readString(root.resolve("connectors/sql/documents.sql"));
        assertThat(sql).contains("CREATE PUBLICATION " + connector.path("publication.name").asText()
                + " FOR TABLE " + table);
        assertThat(sql).contains("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        // secrets come from the worker's environment through the env config provider
        assertThat(connectEnv).containsEntry("CONNECT_CONFIG_PROVIDERS", "env");
        Matcher env = ENV_REFERENCE.matcher(connector.path("database.password").asText());
        assertThat(env.matches()).as("database.password is an ${env:...} reference").isTrue();
        assertThat(connectEnv).containsKey(env.group(1));
    }

    @Test
    void everyConnectorExampleIsValidJsonWithItsOwnTopicPrefix() throws IOException {
        Set<String> prefixes = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(root.resolve("connectors"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode config = new ObjectMapper().readTree(file.toFile());
                assertThat(config.isObject()).as(file.toString()).isTrue();
                assertThat(config.path("connector.class").asText()).as(file.toString()).startsWith("io.debezium.");
                assertThat(prefixes.add(config.path("topic.prefix").asText())).as(file + " topic.prefix").isTrue();
                config.fields().forEachRemaining(e -> assertThat(e.getValue().isTextual())
                        .as(file.getFileName() + " " + e.getKey() + " is a string, as Connect's REST API expects")
                        .isTrue());
            }
        }
        assertThat(prefixes).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void theWorkersGetTheAppsSettings() {
        for (String name : List.of("ingest", "qa")) {
            Map<String, Object> env = map(services.get(name).get("environment"), name);
            assertThat(env).containsKeys("STREAMRAG_KAFKA_BOOTSTRAP_SERVERS", "STREAMRAG_SCHEMA_REGISTRY_URL",
                    "STREAMRAG_STORE_TYPE", "STREAMRAG_STORE_QDRANT_HOST", "STREAMRAG_STORE_QDRANT_PORT",
                    "STREAMRAG_MODELS_EMBEDDER", "STREAMRAG_MODELS_GENERATOR", "STREAMRAG_CONFIG");
            assertThat(env).containsEntry("STREAMRAG_STORE_TYPE", "qdrant");
            assertThat(services).containsKey(env.get("STREAMRAG_STORE_QDRANT_HOST").toString());
            assertThat(services).containsKey(env.get("STREAMRAG_KAFKA_BOOTSTRAP_SERVERS").toString().split(":")[0]);
            assertThat(env.get("STREAMRAG_MODELS_EMBEDDER").toString()).startsWith("hf://");
        }
    }

    @Test
    void prometheusScrapesEveryWorkerOnTheMetricsPort() throws IOException {
        JsonNode config = new YAMLMapper().readTree(root.resolve("ops/prometheus/prometheus.yml").toFile());
        Set<String> scraped = new LinkedHashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                for (JsonNode target : staticConfig.path("targets")) {
                    String host = target.asText().split(":")[0];
                    if (!host.equals("localhost")) {
                        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
                        assertThat(target.asText()).endsWith(":9404");
                        assertThat(services).as("scrape target " + target).containsKey(host);
                        assertThat(staticConfig.path("labels").path("role").asText()).isNotEmpty();
                        scraped.add(host);
                    }
                }
            }
        }
        assertThat(scraped).contains("ingest", "qa", "ingest-gpu", "qa-gpu");
    }

    @Test
    void theDashboardQueriesOnlyKnownMetricsThroughTheProvisionedDatasource() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve("ops/grafana/dashboards/streamrag.json")
                .toFile());
        JsonNode datasources = new YAMLMapper().readTree(
                root.resolve("ops/grafana/provisioning/datasources/prometheus.yml").toFile());
        String datasourceUid = datasources.path("datasources").get(0).path("uid").asText();
        Set<Integer> ids = new LinkedHashSet<>();
        Set<String> queried = new LinkedHashSet<>();
        int expressions = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                List<String> names = metricNames(expr);
                assertThat(names).as("metrics in " + expr).isNotEmpty();
                for (String name : names) {
                    assertThat(isKnown(name)).as(name + " in panel '" + panel.path("title").asText()
                            + "' is not in KNOWN_METRICS").isTrue();
                    queried.add(name);
                }
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(datasourceUid);
                expressions++;
            }
        }
        assertThat(expressions).isGreaterThanOrEqualTo(8);
        assertThat(titles(dashboard)).contains("Ingest throughput", "Chunks embedded vs reused", "Embed batch size", "Worker queue wait",
                "Freshness (commit to searchable)", "Answers by status", "QA latency per stage",
                "Dead letters by stage", "Kafka Streams consumer lag");
        // every known metric is shown somewhere, so the list does not rot
        for (String known : KNOWN_METRICS) {
            assertThat(queried).as(known + " is on the dashboard").anyMatch(q -> q.startsWith(known));
        }
        JsonNode provider = new YAMLMapper().readTree(
                root.resolve("ops/grafana/provisioning/dashboards/streamrag.yml").toFile());
        String dashboardsPath = provider.path("providers").get(0).path("options").path("path").asText();
        assertThat(list(services.get("grafana").get("volumes")))
                .contains("./ops/grafana/dashboards:" + dashboardsPath + ":ro");
    }

    static List<String> metricNames(String expr) {
        List<String> names = new ArrayList<>();
        Matcher m = METRIC_SELECTOR.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean isKnown(String series) {
        if (KNOWN_METRICS.contains(series)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count", "_max")) {
            if (series.endsWith(suffix) && KNOWN_METRICS.contains(series.substring(0, series.length()
                    - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> titles(JsonNode dashboard) {
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
        return titles;
    }

    /** Paths a Dockerfile copies from the build context (not from another stage). */
    private static List<String> copySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("COPY ") || trimmed.contains("--from=")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(trimmed.substring(5).trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docker-compose.yml above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what + " is a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return List.of(value);
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
