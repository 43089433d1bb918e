package io.streamrag.serde.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.streamrag.serde.InMemorySchemaRegistry;
import io.streamrag.serde.RestSchemaRegistryClient;
import io.streamrag.serde.SchemaDefinition;
import io.streamrag.serde.SchemaRegistration;
import io.streamrag.serde.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry's REST API (v1) in front of an {@link InMemorySchemaRegistry}: the endpoints that serdes,
 * Connect's converters and the usual tools call, with Confluent's content type and error bodies
 * ({@code {"error_code":40401,"message":"Subject 'x' not found."}}). Avro only; compatibility is BACKWARD and cannot
 * be changed; nothing can be deleted (the embedded registry only ever grows, so ids in topics stay valid).
 *
 * <pre>
 * GET  /                                      {}
 * GET  /subjects                              ["docs-value", ...]
 * GET  /subjects/{s}/versions                 [1, 2]
 * GET  /subjects/{s}/versions/{v|latest}      {"subject","version","id","schema"[,"references"]}
 * GET  /subjects/{s}/versions/{v|latest}/schema   the schema itself
 * POST /subjects/{s}/versions                 {"id"}       register
 * POST /subjects/{s}                          {"subject","version","id","schema"}   look up
 * GET  /schemas/ids/{id}                      {"schema"[,"references"]}
 * GET  /schemas/types                         ["AVRO"]
 * GET  /config                                {"compatibilityLevel":"BACKWARD"}
 * GET  /config/{s}?defaultToGlobal=true       {"compatibilityLevel":"BACKWARD"} (40408 without the parameter)
 * POST /compatibility/subjects/{s}/versions/latest   {"is_compatible"}
 * </pre>
 */
public final class ConfluentRestApi implements HttpHandler {

    public static final String CONTENT_TYPE = RestSchemaRegistryClient.CONTENT_TYPE;
    /** The request body types Confluent's server accepts. */
    private static final Set<String> BODY_TYPES = Set.of(CONTENT_TYPE, "application/vnd.schemaregistry+json",
            "application/json", "application/octet-stream");
    private static final ObjectMapper JSON = RegistrationJson.JSON;
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentRestApi.class);

    private final InMemorySchemaRegistry registry;
    private final String prefix;

    /**
     * @param prefix path before the API (e.g. {@code /apis/ccompat/v7}), "" for none
     */
    public ConfluentRestApi(InMemorySchemaRegistry registry, String prefix) {
        this.registry = registry;
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The path after the prefix ("/subjects"), or null when the request is not under the prefix. */
    public String apiPath(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawPath();
        if (raw.equals(prefix)) {
            return "/";
        }
        return raw.startsWith(prefix + "/") ? raw.substring(prefix.length()) : null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = apiPath(exchange);
            if (path == null) {
                respondError(exchange, 404, 404, "HTTP 404 Not Found");
                return;
            }
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (method.equals("POST") && !BODY_TYPES.contains(mediaType(exchange))) {
                respondError(exchange, 415, 415, "HTTP 415 Unsupported Media Type");
                return;
            }
            Reply reply;
            try {
                String query = exchange.getRequestURI().getRawQuery();
                reply = route(method, segments(path), query == null ? "" : query, body);
            } catch (SchemaRegistryException e) {
                int status = e.httpStatus() >= 400 ? e.httpStatus() : 500;
                reply = Reply.error(status, e.errorCode() > 0 ? e.errorCode() : status, e.getMessage());
            } catch (JsonProcessingException e) {
                reply = Reply.error(400, 400, "Unparsable request body: " + e.getOriginalMessage());
            } catch (RuntimeException e) {
                LOG.error("Schema Registry request {} {} failed", method, path, e);
                reply = Reply.error(500, 500, "Internal Server Error: " + e);
            }
            byte[] bytes = reply.raw() != null ? reply.raw() : JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private record Reply(int status, JsonNode body, byte[] raw) {

        static Reply ok(JsonNode body) {
            return new Reply(200, body, null);
        }

        static Reply error(int status, int code, String message) {
            return new Reply(status, errorBody(code, message), null);
        }
    }

    private Reply route(String method, List<String> s, String query, byte[] body) throws IOException {
        int n = s.size();
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (!get && !post) {
            return Reply.error(405, 405, "HTTP 405 Method Not Allowed: this registry only registers and reads");
        }
        if (get && n == 0) {
            return Reply.ok(JSON.createObjectNode());
        }
        String root = s.get(0);
        if (root.equals("subjects")) {
            if (get && n == 1) {
                return Reply.ok(JSON.valueToTree(registry.subjects()));
            }
            if (post && n == 2) {
                return Reply.ok(RegistrationJson.toJson(registry.lookUp(s.get(1), definition(body))));
            }
            if (n >= 3 && s.get(2).equals("versions")) {
                String subject = s.get(1);
                if (post && n == 3) {
                    return Reply.ok(JSON.createObjectNode().put("id", registry.register(subject, definition(body)).id()));
                }
                if (get && n == 3) {
                    return Reply.ok(JSON.valueToTree(registry.versions(subject)));
                }
                if (get && n == 4) {
                    return Reply.ok(RegistrationJson.toJson(version(subject, s.get(3))));
                }
                if (get && n == 5 && s.get(4).equals("schema")) {
                    byte[] schema = version(subject, s.get(3)).definition().schema().getBytes(StandardCharsets.UTF_8);
                    return new Reply(200, null, schema);
                }
            }
        }
        if (root.equals("schemas")) {
            if (get && n == 2 && s.get(1).equals("types")) {
                return Reply.ok(JSON.createArrayNode().add("AVRO"));
            }
            if (get && n == 3 && s.get(1).equals("ids") && s.get(2).matches("\\d{1,9}")) {
                SchemaDefinition definition = registry.definitionById(Integer.parseInt(s.get(2)));
                return Reply.ok(RegistrationJson.withReferences(JSON.createObjectNode().put("schema", definition.schema()),
                        definition));
            }
        }
        if (get && root.equals("config") && n == 1) {
            return Reply.ok(JSON.createObjectNode().put("compatibilityLevel", "BACKWARD"));
        }
        if (get && root.equals("config") && n == 2) {
            // every subject follows the global level; Confluent says so only when asked to fall back to it
            if (!query.contains("defaultToGlobal=true")) {
                return Reply.error(404, 40408, "Subject '" + s.get(1) + "' does not have subject-level compatibility"
                        + " configured");
            }
            return Reply.ok(JSON.createObjectNode().put("compatibilityLevel", "BACKWARD"));
        }
        if (post && root.equals("compatibility") && n == 5 && s.get(1).equals("subjects") && s.get(3).equals("versions")) {
            if (!isLatest(s.get(4))) {
                return Reply.error(422, 42202, "This registry checks compatibility against the latest version only");
            }
            boolean compatible = registry.isCompatible(s.get(2), definition(body));
            return Reply.ok(JSON.createObjectNode().put("is_compatible", compatible));
        }
        return Reply.error(404, 404, "HTTP 404 Not Found");
    }

    private SchemaRegistration version(String subject, String version) {
        if (isLatest(version)) {
            return registry.latestRegistration(subject);
        }
        if (!version.matches("\\d{1,9}")) {
            throw new SchemaRegistryException("The specified version '" + version + "' is not a valid version id."
                    + " Allowed values are between [1, 2^31-1] and the string \"latest\"", 422, 42202);
        }
        return registry.version(subject, Integer.parseInt(version));
    }

    private static boolean isLatest(String version) {
        return version.equals("latest") || version.equals("-1");
    }

    private static SchemaDefinition definition(byte[] body) throws IOException {
        JsonNode request = JSON.readTree(body);
        if (request == null || !request.isObject()) {
            throw new SchemaRegistryException("The request body must be a JSON object with a 'schema'", 422, 42201);
        }
        String type = request.path("schemaType").asText("AVRO");
        if (!type.toUpperCase(Locale.ROOT).equals("AVRO")) {
            throw new SchemaRegistryException("Invalid schema: this registry holds AVRO schemas only, not " + type,
                    422, 42201);
        }
        String schema = request.path("schema").asText("");
        if (schema.isBlank()) {
            throw new SchemaRegistryException("Empty schema", 422, 42201);
        }
        try {
            return new SchemaDefinition(schema, RegistrationJson.references(request.path("references")));
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException("Invalid schema reference: " + e.getMessage(), 422, 42201);
        }
    }

    /** Path segments after the prefix, percent-decoded ("+" is a plus sign in a path, not a space). */
    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(trimmed.split("/", -1))
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private static String mediaType(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Type");
        if (header == null) {
            return "";
        }
        int parameters = header.indexOf(';');
        return (parameters < 0 ? header : header.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode errorBody(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    /** Sends a Confluent error body; for filters in front of this API (authentication, for one). */
    public static void respondError(HttpExchange exchange, int status, int code, String message) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(errorBody(code, message));
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
