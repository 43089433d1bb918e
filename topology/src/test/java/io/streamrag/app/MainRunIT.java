package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.streamrag.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamrag run} with the defaults, as a user starts it: a separate JVM whose working directory is an empty
 * temp dir, so {@code ./data} lands there. Only the ports (broker 9092, registry 8081, metrics 9404) are moved to
 * free ones, through the environment, which exercises that path too. SIGTERM must stop it cleanly: a broker started afterwards on the same directory finds
 * the topics.
 */
class MainRunIT {

    private static final Set<String> APP_TOPICS = Set.of("streamrag.documents", "streamrag.questions",
            "streamrag.answers", "streamrag.dead-letters", "streamrag.index-updates",
            "streamrag.captured-documents");

    @TempDir
    Path workDir;

    @Test
    void runWithDefaultsStartsBrokerRegistryAndMetricsCreatesTheTopicsAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        int metricsPort = freePort();
        int registryPort = freePort();
        Path log = workDir.resolve("streamrag.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                // the production logging config, not the tests' logback-test.xml that is on this classpath too
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("STREAMRAG_KAFKA_EMBEDDED_PORT", Integer.toString(port));
        builder.environment().put("STREAMRAG_METRICS_PORT", Integer.toString(metricsPort));
        builder.environment().put("STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT", Integer.toString(registryPort));
        Process app = builder.start();
        try {
            Set<String> topics = awaitTopics("127.0.0.1:" + port, app, log);
            assertThat(topics).containsAll(APP_TOPICS);
            assertThat(get(metricsPort, "/metrics")).contains("jvm_memory_used_bytes");
            assertThat(get(registryPort, "/subjects")).isEqualTo("[]"); // the embedded registry answers

            app.destroy(); // SIGTERM
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s; log:%n%s", read(log)).isTrue();
        } finally {
            app.destroyForcibly();
        }

        String output = read(log);
        assertThat(app.exitValue()).as(output).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
        assertThat(output).contains("Embedded Kafka broker up at 127.0.0.1:" + port)
                .contains("Created topics")
                .contains("msg=\"Stopped\"")
                .doesNotContain("level=ERROR");
        Path brokerDir = workDir.resolve("data/kafka");
        assertThat(brokerDir.resolve("logs/meta.properties")).exists();
        assertThat(workDir.resolve("data/schema-registry/schemas.jsonl")).exists();

        // a clean stop released the directory, and the topics are still there
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder(brokerDir).build().start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).containsAll(APP_TOPICS);
        }
    }

    /** Waits for the app to report it is up (so no client hammers a broker still starting), then lists topics. */
    private static Set<String> awaitTopics(String bootstrap, Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!read(log).contains("stop with Ctrl-C or SIGTERM")) {
            if (!app.isAlive()) {
                throw new AssertionError("streamrag run exited with " + app.exitValue() + ":\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("streamrag run did not come up within 90 s:\n" + read(log));
            }
            Thread.sleep(200);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "<no output>";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
