package io.streamrag.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Confluent Schema Registry REST client on the JDK {@link HttpClient} (Confluent's own client is not on Maven
 * Central). Speaks the documented v1 API, so it also works with Confluent Cloud, Redpanda, Karapace and Apicurio's
 * ccompat endpoint (a base URL with a path such as {@code /apis/ccompat/v7}). With several base URLs, a request that
 * cannot connect to one is tried on the next, and the one that answered is tried first afterwards.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Endpoint(URI configured, String base) {}

    private record SubjectSchema(String subject, Schema schema) {}

    private final List<Endpoint> endpoints;
    private final RegistryCredentials credentials;
    private final Duration requestTimeout;
    private final HttpClient http;
    private volatile int preferred;

    private final ConcurrentMap<Integer, Schema> schemaById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        if (config.isMock()) {
            throw new IllegalArgumentException("mock:// URLs are served by MockSchemaRegistry, not over HTTP");
        }
        List<Endpoint> list = new ArrayList<>();
        for (URI url : config.urls()) {
            list.add(new Endpoint(url, baseWithoutUserInfo(url)));
        }
        this.endpoints = List.copyOf(list);
        this.credentials = config.credentials();
        this.requestTimeout = config.requestTimeout();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // no redirects: the Authorization header must not follow a request to another host
                .followRedirects(HttpClient.Redirect.NEVER);
        config.tls().ifPresent(tls -> builder.sslContext(tls.sslContext()));
        this.http = builder.build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idOf(subject, schema, "/subjects/" + encode(subject) + "/versions",
                "Register schema " + schema.getFullName() + " under subject '" + subject + "'");
    }

    @Override
    public int lookUpId(String subject, Schema schema) {
        return idOf(subject, schema, "/subjects/" + encode(subject),
                "Look up schema " + schema.getFullName() + " in subject '" + subject + "'");
    }

    /** Registering and looking up both answer "the id of this schema in this subject", so they share one cache. */
    private int idOf(String subject, Schema schema, String path, String request) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        int id = requireInt(send("POST", path, schemaBody(schema), request), "id");
        registeredIds.putIfAbsent(key, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        String request = "Fetch schema id " + id;
        JsonNode response = send("GET", "/schemas/ids/" + id, null, request);
        Schema schema = parse(response, request);
        Schema previous = schemaById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        String request = "Fetch the latest version of subject '" + subject + "'";
        JsonNode response = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, request);
        int id = requireInt(response, "id");
        Schema schema = schemaById.computeIfAbsent(id, ignored -> parse(response, request));
        return new RegisteredSchema(subject, requireInt(response, "version"), id, schema);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema), "Check compatibility of " + schema.getFullName() + " with subject '" + subject + "'");
            return response.path("is_compatible").asBoolean(false);
        } catch (SubjectNotFoundException | SchemaNotFoundException e) {
            return true; // nothing registered yet: any schema may be the first version
        }
    }

    /** Parses a response's schema, first resolving any schema references it names (named types in other subjects). */
    private Schema parse(JsonNode response, String request) {
        String type = response.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException(request + ": the registry holds a " + type + " schema, not Avro", 200, -1);
        }
        Schema.Parser parser = new Schema.Parser().setValidateDefaults(false);
        addReferences(parser, response.path("references"), new HashSet<>(), request);
        try {
            return parser.parse(response.path("schema").asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(request + ": the registry returned an unparsable Avro schema: "
                    + e.getMessage(), 200, -1);
        }
    }

    private void addReferences(Schema.Parser parser, JsonNode references, Set<String> seen, String request) {
        for (JsonNode reference : references) {
            String subject = reference.path("subject").asText();
            String version = reference.path("version").asText("latest");
            if (!seen.add(subject + "/" + version)) {
                continue;
            }
            JsonNode referenced = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null,
                    request + ": fetch referenced schema " + reference.path("name").asText() + " (" + subject + " v" + version + ")");
            addReferences(parser, referenced.path("references"), seen, request);
            parser.parse(referenced.path("schema").asText());
        }
    }

    private static ObjectNode schemaBody(Schema schema) {
        // schemaType is left out: AVRO is the documented default and older registries reject the field
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    private JsonNode send(String method, String path, JsonNode body, String request) {
        byte[] payload;
        try {
            payload = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(request + ": cannot encode the request body", e);
        }
        List<String> failures = new ArrayList<>();
        IOException lastFailure = null;
        int first = preferred;
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (first + attempt) % endpoints.size();
            Endpoint endpoint = endpoints.get(index);
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint.base() + path))
                    .timeout(requestTimeout)
                    .header("Accept", ACCEPT);
            credentials.authorization(endpoint.configured()).ifPresent(value -> builder.header("Authorization", value));
            if (payload != null) {
                builder.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                failures.add(endpoint.base() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(request + " was interrupted", e);
            }
            preferred = index;
            return read(response, request + " at " + endpoint.base());
        }
        throw new RegistryUnavailableException(request + " failed: no Schema Registry URL could be reached: "
                + String.join(", ", failures), lastFailure);
    }

    private static JsonNode read(HttpResponse<byte[]> response, String request) {
        int status = response.statusCode();
        byte[] body = response.body();
        JsonNode json = null;
        if (body != null && body.length > 0) {
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                if (status / 100 == 2) {
                    throw new SchemaRegistryException(request + ": the registry answered HTTP " + status
                            + " with a body that is not JSON: " + excerpt(body), status, -1);
                }
            }
        }
        if (status / 100 == 2) {
            return json == null ? JSON.createObjectNode() : json;
        }
        int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
        String message = json == null ? excerpt(body) : json.path("message").asText(excerpt(body));
        throw SchemaRegistryException.fromResponse(request, status, errorCode, message);
    }

    private static int requireInt(JsonNode response, String field) {
        JsonNode value = response.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("The registry's answer has no integer '" + field + "': "
                    + excerpt(response.toString().getBytes(StandardCharsets.UTF_8)), 200, -1);
        }
        return value.intValue();
    }

    private static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** scheme://host:port/path with the user-info (sent as a header instead) and any trailing slash removed. */
    private static String baseWithoutUserInfo(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + port + path;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + endpoints.stream().map(Endpoint::base).toList();
    }
}
