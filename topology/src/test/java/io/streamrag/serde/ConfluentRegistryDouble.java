package io.streamrag.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A Schema Registry on loopback that follows Confluent's documented REST contract: the v1 content type, the endpoints
 * a serde uses, BACKWARD compatibility on register, and the documented error bodies
 * ({@code {"error_code":40401,"message":...}}). Optionally under a path prefix (as Apicurio's ccompat API), behind
 * an expected {@code Authorization} header, and over HTTPS.
 */
final class ConfluentRegistryDouble implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String prefix;
    private final String expectedAuthorization;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();

    private final Map<String, Integer> idBySchemaText = new HashMap<>();
    private final Map<Integer, String> schemaTextById = new HashMap<>();
    private final Map<Integer, List<Map<String, Object>>> referencesById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();

    private ConfluentRegistryDouble(HttpServer server, String prefix, String expectedAuthorization) {
        this.server = server;
        this.prefix = prefix;
        this.expectedAuthorization = expectedAuthorization;
        server.createContext("/", this::handle);
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
    synchronized int registerWithReferences(String subject, String schemaText, List<Map<String, Object>> references) {
        int id = idBySchemaText.computeIfAbsent(schemaText, text -> idBySchemaText.size() + 1);
        schemaTextById.put(id, schemaText);
        referencesById.put(id, references);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!rawPath.startsWith(prefix + "/")) {
                respond(exchange, 404, error(404, "HTTP 404 Not Found"));
                return;
            }
            String path = rawPath.substring(prefix.length());
            requestCounts.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
            if (expectedAuthorization != null
                    && !expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (method.equals("POST") && !CONTENT_TYPE.equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                respond(exchange, 415, error(415, "HTTP 415 Unsupported Media Type"));
                return;
            }
            String[] segments = Arrays.stream(path.substring(1).split("/"))
                    .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toArray(String[]::new);
            Reply reply = route(method, segments, body);
            respond(exchange, reply.status(), reply.body());
        }
    }

    private record Reply(int status, JsonNode body) {}

    private synchronized Reply route(String method, String[] s, byte[] body) throws IOException {
        if (method.equals("POST") && s.length == 3 && s[0].equals("subjects") && s[2].equals("versions")) {
            return register(s[1], body);
        }
        if (method.equals("POST") && s.length == 2 && s[0].equals("subjects")) {
            return lookUp(s[1], body);
        }
        if (method.equals("GET") && s.length == 3 && s[0].equals("schemas") && s[1].equals("ids")) {
            return byId(Integer.parseInt(s[2]));
        }
        if (method.equals("GET") && s.length == 4 && s[0].equals("subjects") && s[2].equals("versions")) {
            return version(s[1], s[3]);
        }
        if (method.equals("POST") && s.length == 5 && s[0].equals("compatibility") && s[4].equals("latest")) {
            return compatibility(s[2], body);
        }
        return new Reply(404, error(404, "HTTP 404 Not Found"));
    }

    private Reply register(String subject, byte[] body) throws IOException {
        Schema schema;
        String text = JSON.readTree(body).path("schema").asText();
        try {
            schema = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            return new Reply(422, error(42201, "Invalid schema " + e.getMessage()));
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, k -> new ArrayList<>());
        Integer existing = idBySchemaText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            return new Reply(200, JSON.createObjectNode().put("id", existing));
        }
        if (!versions.isEmpty() && !backward(schema, latestSchema(versions))) {
            return new Reply(409, error(409,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\""));
        }
        int id = idBySchemaText.computeIfAbsent(schema.toString(), k -> idBySchemaText.size() + 1);
        schemaTextById.put(id, schema.toString());
        versions.add(id);
        return new Reply(200, JSON.createObjectNode().put("id", id));
    }

    private Reply lookUp(String subject, byte[] body) throws IOException {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return new Reply(404, error(40401, "Subject '" + subject + "' not found."));
        }
        String text = new Schema.Parser().parse(JSON.readTree(body).path("schema").asText()).toString();
        Integer id = idBySchemaText.get(text);
        if (id == null || !versions.contains(id)) {
            return new Reply(404, error(40403, "Schema not found"));
        }
        return new Reply(200, subjectVersion(subject, versions.indexOf(id) + 1, id));
    }

    private Reply byId(int id) {
        String text = schemaTextById.get(id);
        if (text == null) {
            return new Reply(404, error(40403, "Schema " + id + " not found"));
        }
        ObjectNode node = JSON.createObjectNode().put("schema", text);
        if (referencesById.containsKey(id)) {
            node.set("references", JSON.valueToTree(referencesById.get(id)));
        }
        return new Reply(200, node);
    }

    private Reply version(String subject, String version) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return new Reply(404, error(40401, "Subject '" + subject + "' not found."));
        }
        int number = version.equals("latest") ? versions.size() : Integer.parseInt(version);
        if (number < 1 || number > versions.size()) {
            return new Reply(404, error(40402, "Version " + version + " not found."));
        }
        return new Reply(200, subjectVersion(subject, number, versions.get(number - 1)));
    }

    private Reply compatibility(String subject, byte[] body) throws IOException {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return new Reply(404, error(40401, "Subject '" + subject + "' not found."));
        }
        Schema schema = new Schema.Parser().parse(JSON.readTree(body).path("schema").asText());
        return new Reply(200, JSON.createObjectNode().put("is_compatible", backward(schema, latestSchema(versions))));
    }

    private ObjectNode subjectVersion(String subject, int version, int id) {
        ObjectNode node = JSON.createObjectNode()
                .put("subject", subject).put("version", version).put("id", id).put("schema", schemaTextById.get(id));
        if (referencesById.containsKey(id)) {
            node.set("references", JSON.valueToTree(referencesById.get(id)));
        }
        return node;
    }

    private Schema latestSchema(List<Integer> versions) {
        return new Schema.Parser().parse(schemaTextById.get(versions.get(versions.size() - 1)));
    }

    private static boolean backward(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private static JsonNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
