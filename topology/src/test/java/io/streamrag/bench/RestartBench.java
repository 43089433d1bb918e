package io.streamrag.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.streamrag.app.Main;

/**
 * Restart-to-ready after kill -9: starts {@code streamrag run} (embedded broker, registry, ingest and QA roles, bundled
 * embedder) in a separate JVM, waits until both roles are RUNNING, kills it with SIGKILL, starts it again on
 * the same data directory and measures, from its log, where the time to ready goes: JVM and broker start (log
 * recovery), registry, model load and topology build, and the Streams group rejoin and state restore per role.
 *
 * <pre>
 * ./mvnw -o -q -pl topology test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.streamrag.bench.RestartBench -Dexec.args="3"
 * </pre>
 * The argument is the number of kill -9 / restart cycles (default 2).
 */
public final class RestartBench {

    private static final Pattern TIME = Pattern.compile("^(\\S+) level=");

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Path work = Files.createTempDirectory("restart-bench");
        int broker = freePort();
        int registry = freePort();
        int metrics = freePort();
        List<Map<String, Long>> rows = new ArrayList<>();
        for (int run = 0; run <= cycles; run++) {
            Path log = work.resolve("run-" + run + ".log");
            long started = System.currentTimeMillis();
            Process app = start(work, log, broker, registry, metrics);
            long ready = awaitReady(metrics, app, log);
            Map<String, Long> phases = phases(Files.readAllLines(log, StandardCharsets.UTF_8), started);
            phases.put("ready (both roles RUNNING, /health/ready 200)", ready - started);
            rows.add(phases);
            app.destroyForcibly(); // SIGKILL: no shutdown hook, no group leave, open transactions left behind
            app.waitFor();
        }
        System.out.printf("%n%-40s %s%n", "ms since process start", "first start, then after each kill -9");
        for (String phase : rows.get(rows.size() - 1).keySet()) {
            StringBuilder line = new StringBuilder(String.format("%-40s", phase));
            for (Map<String, Long> row : rows) {
                line.append(String.format(" %8s", row.getOrDefault(phase, -1L)));
            }
            System.out.println(line);
        }
    }

    private static Process start(Path work, Path log, int broker, int registry, int metrics) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("STREAMRAG_KAFKA_EMBEDDED_PORT", Integer.toString(broker));
        builder.environment().put("STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT", Integer.toString(registry));
        builder.environment().put("STREAMRAG_METRICS_PORT", Integer.toString(metrics));
        return builder.start();
    }

    private static long awaitReady(int port, Process app, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                // /health/ready alone is not enough: it answers 200 before the roles are registered
                String logged = Files.readString(log, StandardCharsets.UTF_8);
                if (response.statusCode() == 200 && logged.matches("(?s).*Role ingest \\(.*-> RUNNING.*")
                        && logged.matches("(?s).*Role qa \\(.*-> RUNNING.*")) {
                    return System.currentTimeMillis();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not ready within 5 min:\n" + Files.readString(log));
    }

    /** First log time of each milestone, in ms since the process was started. */
    private static Map<String, Long> phases(List<String> lines, long started) {
        Map<String, String> milestones = new LinkedHashMap<>();
        milestones.put("first log line (JVM up)", "");
        milestones.put("embedded broker up", "Embedded Kafka broker up");
        milestones.put("schema registry up", "Schema registry:");
        milestones.put("ingest topology built (model loaded)", "Role ingest started");
        milestones.put("qa topology built", "Role qa started");
        milestones.put("ingest RUNNING", "Role ingest (");
        milestones.put("qa RUNNING", "Role qa (");
        Map<String, Long> phases = new LinkedHashMap<>();
        milestones.forEach((name, marker) -> {
            for (String line : lines) {
                Matcher time = TIME.matcher(line);
                boolean running = name.endsWith("RUNNING");
                if (time.find() && line.contains(marker) && (!running || line.contains("-> RUNNING"))) {
                    phases.put(name, OffsetDateTime.parse(time.group(1)).toInstant().toEpochMilli() - started);
                    break;
                }
            }
        });
        return phases;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
