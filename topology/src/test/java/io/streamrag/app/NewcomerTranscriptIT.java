package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first hour, as separate processes the way a person types them (the build and a busy default port
 * 9092 are in {@code docs/newcomer-transcript.sh}): {@code run}, {@code load docs/examples}, the README's question
 * and an off-topic one, a second {@code run} on the same data directory, a busy port, {@code ask} with nothing
 * running and {@code load} of a missing file. It checks the front door, not answer content (QA tests do that):
 * readiness stays DOWN until the roles run, a start prints a few readable lines, stdout carries only command
 * output, and every mistake costs one line and a non-zero exit code.
 */
class NewcomerTranscriptIT {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples").toAbsolutePath().normalize();

    @TempDir
    Path workDir;

    private record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    @Test
    void theFirstHour() throws Exception {
        int brokerPort = freePort();
        int registryPort = freePort();
        int metricsPort = freePort();
        Map<String, String> ports = Map.of(
                "STREAMRAG_KAFKA_EMBEDDED_PORT", Integer.toString(brokerPort),
                "STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT", Integer.toString(registryPort),
                "STREAMRAG_METRICS_PORT", Integer.toString(metricsPort));
        Path appOut = workDir.resolve("run.out");
        Path appErr = workDir.resolve("run.err");
        Process app = start(workDir, ports, appOut, appErr, "run");
        try {
            // readiness: DOWN (503) while starting, UP only once the roles run with their models loaded
            List<Integer> readinessWhileStarting = new ArrayList<>();
            awaitReady(app, metricsPort, appErr, readinessWhileStarting);
            assertThat(readinessWhileStarting).as("readiness answers before UP").isNotEmpty().containsOnly(503);
            String startLog = read(appErr);
            assertThat(startLog).contains("Started in ").contains("kafka wait");
            assertThat(startLog.lines().count()).as("a clean start prints a handful of lines:%n%s", startLog)
                    .isLessThan(40);
            assertThat(startLog).doesNotContain("CUDA").doesNotContain("Topologies:").doesNotContain("level=ERROR");

            String[] connection = {"--bootstrap-servers", "127.0.0.1:" + brokerPort,
                    "--schema-registry-url", "http://127.0.0.1:" + registryPort};

            Result load = cli(concat(new String[] {"load", EXAMPLES.toString(), "--no-progress"}, connection));
            assertThat(load.exitCode()).as(load.err()).isZero();
            assertThat(load.out().strip().lines().toList()).satisfiesExactly(
                    published -> assertThat(published).isEqualTo("published 4 of 4 documents to streamrag.documents"),
                    token -> assertThat(token).startsWith("consistency token: ").contains("mount-etna.md@"));

            // stdout is the answer alone: `ask --json | jq` works
            Result etna = cli(concat(new String[] {"ask", "--json", "--timeout", "90s", "How tall is Mount Etna?"},
                    connection));
            assertThat(etna.exitCode()).as(etna.err()).isZero();
            JsonNode answer = new ObjectMapper().readTree(etna.out());
            assertThat(answer.get("status").asText()).isIn("OK", "NO_CONTEXT");
            assertThat(etna.errLines()).as("no client chatter").isEmpty();

            Result offTopic = cli(concat(new String[] {"ask", "--timeout", "90s", "What is the capital of France?"},
                    connection));
            assertThat(offTopic.exitCode()).as(offTopic.err()).isZero();
            assertThat(offTopic.out()).containsAnyOf("[OK]", "[NO_CONTEXT]");

            // a second run on the same data directory: refused at once, the first keeps running
            Result second = runElsewhere(workDir, Map.of(
                    "STREAMRAG_KAFKA_EMBEDDED_PORT", Integer.toString(freePort()),
                    "STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT", "0", "STREAMRAG_METRICS_PORT", "0"));
            assertThat(second.exitCode()).isEqualTo(1);
            String owner = read(workDir.resolve("data/streamrag.lock")).strip();
            assertThat(owner).startsWith("streamrag pid " + app.pid() + " (started ");
            assertThat(second.errLines()).containsExactly("streamrag run: data directory "
                    + workDir.resolve("data").toAbsolutePath().normalize() + " (kafka.data.dir) is in use by " + owner
                    + ": stop that process, or set kafka.data.dir to another directory");
            assertThat(app.isAlive()).isTrue();
            assertThat(get(metricsPort, "/health/ready")).contains("\"status\":\"UP\"");

            // a busy port: one line naming it and its key, nothing started
            Path otherDir = Files.createDirectory(workDir.resolve("elsewhere"));
            Result busy = runElsewhere(otherDir, Map.of("STREAMRAG_KAFKA_EMBEDDED_PORT", Integer.toString(brokerPort),
                    "STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT", "0", "STREAMRAG_METRICS_PORT", "0"));
            assertThat(busy.exitCode()).isEqualTo(1);
            assertThat(busy.errLines()).containsExactly("streamrag run: port " + brokerPort + " for the embedded"
                    + " Kafka broker is in use (kafka.embedded.port=" + brokerPort + "): is another streamrag or"
                    + " Kafka running? Stop it, or set kafka.embedded.port to a free port (0 picks one)");
            assertThat(otherDir.resolve("data/kafka")).doesNotExist();

            // Kafka Streams' store meters are bound on the binder's next refresh (up to a minute after start);
            // both store kinds must be there, none dropped for a tag clash
            String metrics = awaitMetric(metricsPort, "store_type=\"in-memory\"", Duration.ofSeconds(120));
            assertThat(metrics).contains("store_type=\"rocksdb\"");
            assertThat(read(appErr)).doesNotContain("same set of tag keys");

            app.destroy(); // SIGTERM
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("stopped; log:%n%s", read(appErr)).isTrue();
            assertThat(read(appOut)).as("run writes logs to stderr only").isEmpty();

            // nothing running: one hint, exit 2
            Result alone = cli(concat(new String[] {"ask", "--timeout", "5s", "How tall is Mount Etna?"},
                    connection));
            assertThat(alone.exitCode()).isEqualTo(2);
            assertThat(alone.errLines()).containsExactly("no broker at 127.0.0.1:" + brokerPort
                    + " — is `streamrag run` running? (elsewhere: --bootstrap-servers)");

            Path missing = workDir.resolve("my-docs");
            Result missingFile = cli(concat(new String[] {"load", missing.toString()}, connection));
            assertThat(missingFile.exitCode()).isEqualTo(2);
            assertThat(missingFile.errLines()).containsExactly("cannot load " + missing + ": no such file or folder");
        } finally {
            app.destroyForcibly();
        }
    }

    private Result runElsewhere(Path dir, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(workDir, "run", ".out");
        Path err = Files.createTempFile(workDir, "run", ".err");
        Process second = start(dir, env, out, err, "run");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("refused within 60 s: %s", read(err)).isTrue();
        return new Result(second.exitValue(), read(out), read(err));
    }

    private Result cli(String... args) throws Exception {
        Path out = Files.createTempFile(workDir, "cli", ".out");
        Path err = Files.createTempFile(workDir, "cli", ".err");
        Process process = start(workDir, Map.of(), out, err, args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(args)).isTrue();
        return new Result(process.exitValue(), read(out), read(err));
    }

    private static Process start(Path dir, Map<String, String> env, Path out, Path err, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dai.djl.offline=true",
                // the production logging config, not the tests' logback-test.xml that is on this classpath too
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitReady(Process app, int metricsPort, Path log, List<Integer> before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            if (!app.isAlive()) {
                throw new AssertionError("streamrag run exited with " + app.exitValue() + ":\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("streamrag run not ready within 180 s:\n" + read(log));
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                        + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), BodyHandlers.discarding())
                        .statusCode();
                if (status == 200) {
                    return;
                }
                before.add(status);
            } catch (IOException notListeningYet) {
                // the metrics endpoint starts with the registry
            }
            Thread.sleep(250);
        }
    }

    private static String awaitMetric(int port, String expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        String metrics = get(port, "/metrics");
        while (!metrics.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            metrics = get(port, "/metrics");
        }
        assertThat(metrics).contains(expected);
        return metrics;
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), BodyHandlers.ofString()).body();
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
