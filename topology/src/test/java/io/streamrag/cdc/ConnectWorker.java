package io.streamrag.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;

/**
 * A real Kafka Connect worker (standalone mode) inside this JVM, with its REST API on a free port.
 *
 * <p>Why a Connect worker rather than Debezium's embedded engine: production runs the connector in Kafka Connect
 * ({@code docker-compose.yml}), so here too Connect's own producer, converters and offset commits write the change
 * events, and the connector is registered the way {@code connectors/register-connector.sh} does it, with
 * {@code PUT /connectors/<name>/config}. The bytes on the topic are therefore Kafka Connect's by construction, not a
 * re-creation of them. Standalone mode keeps source offsets in a file; the file outlives the worker, so a restarted
 * worker resumes from the last committed LSN instead of snapshotting again.
 */
final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<StandaloneHerder> connect;
    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
        this.restUrl = connect.rest().serverUrl();
    }

    /** Starts a worker producing to {@code bootstrapServers} and keeping source offsets in {@code offsetsFile}. */
    static ConnectWorker start(String bootstrapServers, Path offsetsFile) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.converter", JsonConverter.class.getName());
        props.put("value.converter", JsonConverter.class.getName());
        props.put("offset.storage.file.filename", offsetsFile.toString());
        // commit source offsets (and so the slot's confirmed LSN) every second rather than every minute
        props.put("offset.flush.interval.ms", "1000");
        props.put("listeners", "http://127.0.0.1:0");
        // plugins come from the test classpath's service manifests; scanning every class of it takes long
        props.put("plugin.discovery", "service_load");

        // The CLI exits the JVM when start-up fails and adds a shutdown hook per worker: in a test, throw instead,
        // and stop workers explicitly.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka Connect failed to start (exit " + status + "): " + message);
        });
        Exit.setShutdownHookAdder((name, hook) -> { });
        try {
            return new ConnectWorker(new ConnectStandalone().startConnect(props));
        } finally {
            Exit.resetExitProcedure();
            Exit.resetShutdownHookAdder();
        }
    }

    URI restUrl() {
        return restUrl;
    }

    /**
     * Creates or updates connector {@code name}: {@code config} is the body of {@code PUT /connectors/<name>/config},
     * the same request {@code register-connector.sh} sends.
     */
    void putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/config"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException("PUT " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /**
     * Waits until connector {@code name} and all its tasks are RUNNING.
     *
     * @throws IllegalStateException with the task's stack trace when the connector or a task FAILED, or on timeout
     */
    void awaitRunning(String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            status = status(name);
            if (status != null) {
                if (failed(status)) {
                    throw new IllegalStateException("Connector " + name + " failed: " + status.toPrettyString());
                }
                if (running(status)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Connector " + name + " not RUNNING after " + timeout + "; last status: "
                + (status == null ? "unknown connector" : status.toPrettyString()));
    }

    /** {@code GET /connectors/<name>/status}, or null while the worker does not know the connector. */
    JsonNode status(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(restUrl.resolve("/connectors/" + name + "/status"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Stops the worker: tasks stop and commit their offsets, then the REST server and producers close. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }

    private static boolean running(JsonNode status) {
        JsonNode tasks = status.path("tasks");
        if (!"RUNNING".equals(status.path("connector").path("state").asText()) || tasks.isEmpty()) {
            return false;
        }
        for (JsonNode task : tasks) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean failed(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return true;
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return true;
            }
        }
        return false;
    }
}
