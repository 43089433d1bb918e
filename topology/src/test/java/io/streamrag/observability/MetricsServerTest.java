package io.streamrag.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<State> ingest = new AtomicReference<>(State.RUNNING);
    private final AtomicBoolean storeUp = new AtomicBoolean(true);
    private ApplicationMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        metrics = new ApplicationMetrics();
        ApplicationHealth health = new ApplicationHealth();
        health.addStreams("ingest", ingest::get);
        health.addVectorStore(new ReachabilityStore(storeUp::get));
        server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics.registry(), health);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void metricsHaveTheAppsCountersAndTheJvmsAndProcesssMeters() throws Exception {
        StreamragMetrics.ingestDocuments(metrics.registry()).increment(3);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_TEXT);
        assertThat(response.body()).contains("streamrag_ingest_documents_total 3.0");
        assertThat(StreamragMetricsTest.seriesNames(response.body())).contains("jvm_memory_used_bytes",
                "jvm_threads_live_threads", "jvm_gc_memory_allocated_bytes_total", "process_uptime_seconds",
                "process_cpu_usage", "process_files_open_files");
    }

    @Test
    void readinessIs503NamingTheStoreWhenItIsUnreachable() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        storeUp.set(false);
        HttpResponse<String> response = get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("checks").path("vector-store").path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("checks").path("streams-ingest").path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").path("streams-ingest").path("detail").asText()).isEqualTo("RUNNING");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void livenessIs503WhenAStreamsInstanceFailed() throws Exception {
        ingest.set(State.ERROR);

        HttpResponse<String> response = get("/health/live");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("checks").path("streams-ingest").path("detail").asText()).isEqualTo("ERROR");
        assertThat(body.path("checks").has("vector-store")).isFalse();
    }

    @Test
    void onlyGetOnTheThreePaths() throws Exception {
        assertThat(get("/metricsX").statusCode()).isEqualTo(404);
        assertThat(get("/").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
