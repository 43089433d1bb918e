package io.streamrag.serde;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.streamrag.serde.registry.ConfluentRestApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The main code's Confluent REST API ({@link ConfluentRestApi} over an in-memory registry) on loopback, with what only
 * the client's tests need in front of it: an optional path prefix (as Apicurio's ccompat API), an expected
 * {@code Authorization} header, HTTPS, a strict check that POSTs carry the v1 content type, and request counts.
 */
final class ConfluentRegistryDouble implements AutoCloseable {

    static final String CONTENT_TYPE = ConfluentRestApi.CONTENT_TYPE;

    private final HttpServer server;
    private final String prefix;
    private final String expectedAuthorization;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("");
    private final ConfluentRestApi api;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();

    private ConfluentRegistryDouble(HttpServer server, String prefix, String expectedAuthorization) {
        this.server = server;
        this.prefix = prefix;
        this.expectedAuthorization = expectedAuthorization;
        this.api = new ConfluentRestApi(registry, prefix);
        HttpContext context = server.createContext("/", api);
        context.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (admit(exchange)) {
                    chain.doFilter(exchange);
                }
            }

            @Override
            public String description() {
                return "count, authenticate, check the content type";
            }
        });
        server.start();
    }

    /** Plain HTTP, no prefix, no authentication. */
    static ConfluentRegistryDouble start() throws IOException {
        return start("", null);
    }

    /**
     * @param prefix path before the API, e.g. "/apis/ccompat/v7"; "" for none
     * @param expectedAuthorization the exact Authorization header required, or null for none
     */
    static ConfluentRegistryDouble start(String prefix, String expectedAuthorization) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        return new ConfluentRegistryDouble(server, prefix, expectedAuthorization);
    }

    /** HTTPS with this server context; with {@code needClientAuth} the client must present a trusted certificate. */
    static ConfluentRegistryDouble startHttps(SSLContext context, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                // through SSLParameters: the engine ignores HttpsParameters' own needClientAuth flag
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        return new ConfluentRegistryDouble(server, "", null);
    }

    /** The base URL to configure, prefix included, e.g. http://127.0.0.1:41234/apis/ccompat/v7. */
    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort() + prefix;
    }

    URI uri() {
        return URI.create(url());
    }

    /** How many requests arrived with this method and path (after the prefix), e.g. "GET /schemas/ids/1". */
    int requests(String methodAndPath) {
        AtomicInteger count = requestCounts.get(methodAndPath);
        return count == null ? 0 : count.get();
    }

    int totalRequests() {
        return requestCounts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Registers a schema whose named types come from other subjects (Confluent schema references). */
    int registerWithReferences(String subject, String schemaText, List<Map<String, Object>> references) {
        List<SchemaReference> parsed = references.stream()
                .map(r -> new SchemaReference((String) r.get("name"), (String) r.get("subject"), (Integer) r.get("version")))
                .toList();
        return registry.register(subject, new SchemaDefinition(schemaText, parsed)).id();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Counts the request, then answers it here with an error (false) or lets it through to the API (true). */
    private boolean admit(HttpExchange exchange) throws IOException {
        String path = api.apiPath(exchange);
        if (path == null) {
            return true; // the API answers 404 for a wrong prefix
        }
        String method = exchange.getRequestMethod();
        requestCounts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
        if (expectedAuthorization != null
                && !expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return refuse(exchange, 401, "Unauthorized");
        }
        if (method.equals("POST") && !CONTENT_TYPE.equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            return refuse(exchange, 415, "HTTP 415 Unsupported Media Type");
        }
        return true;
    }

    private static boolean refuse(HttpExchange exchange, int status, String message) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            ConfluentRestApi.respondError(exchange, status, status, message);
        }
        return false;
    }
}
