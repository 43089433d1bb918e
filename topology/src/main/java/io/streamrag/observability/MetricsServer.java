package io.streamrag.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's operations endpoint, one small HTTP server (the JDK's: three read-only endpoints need no framework):
 *
 * <pre>
 * GET /metrics        Prometheus text format 0.0.4 (what ops/prometheus/prometheus.yml scrapes on :9404)
 * GET /health/live    200 / 503, {"status":"UP"|"DOWN","checks":{"streams-ingest":{"status":"UP","detail":"RUNNING"}}}
 * GET /health/ready   200 / 503, same shape; adds "vector-store"
 * </pre>
 */
public final class MetricsServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 9404;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves on {@code address} (in a container {@code 0.0.0.0:9404}, so Prometheus can reach it; port 0 picks a free
     * one, see {@link #port()}).
     *
     * @throws BindException naming the address when it is taken
     */
    public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry,
            ApplicationHealth health) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (BindException e) {
            BindException named = new BindException("Metrics server cannot listen on " + address + ": the port is in use");
            named.initCause(e);
            throw named;
        }
        // two threads: a slow readiness check (the store) must not hold up a scrape
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "metrics-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> serve(exchange, "/metrics",
                () -> new Reply(200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8))));
        server.createContext("/health/live", exchange -> serve(exchange, "/health/live", () -> health(health.liveness())));
        server.createContext("/health/ready", exchange -> serve(exchange, "/health/ready", () -> health(health.readiness())));
        server.start();
        return new MetricsServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private record Reply(int status, String contentType, byte[] body) {}

    private static void serve(HttpExchange exchange, String path, Supplier<Reply> answer) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Reply reply;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                reply = text(404, "Not found: " + exchange.getRequestURI().getPath());
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = text(405, "Method not allowed");
            } else {
                try {
                    reply = answer.get();
                } catch (RuntimeException e) {
                    LOG.error("GET {} failed", path, e);
                    reply = text(500, "Internal error: " + e);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private static Reply health(HealthReport report) {
        ObjectNode body = JSON.createObjectNode().put("status", report.up() ? "UP" : "DOWN");
        ObjectNode checks = body.putObject("checks");
        for (Map.Entry<String, CheckResult> check : report.checks().entrySet()) {
            checks.putObject(check.getKey())
                    .put("status", check.getValue().up() ? "UP" : "DOWN")
                    .put("detail", check.getValue().detail());
        }
        try {
            return new Reply(report.up() ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot render the health report " + report, e);
        }
    }

    private static Reply text(int status, String message) {
        return new Reply(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
