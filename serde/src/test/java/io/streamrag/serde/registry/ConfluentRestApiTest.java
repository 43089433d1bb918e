package io.streamrag.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded registry's REST API as any Confluent client sees it (curl, Kafka UI, Connect's converters): the read
 * endpoints, the documented error bodies and codes, and the v1 content type on every answer.
 */
class ConfluentRestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "application/vnd.schemaregistry.v1+json";
    private static final String PERSON = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    private static final String PERSON_V2 = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
    /** A field without a default that the latest version does not have: cannot read it (not BACKWARD). */
    private static final String PERSON_REQUIRED_EMAIL = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}";

    @TempDir
    static Path dataDirectory;

    private static EmbeddedSchemaRegistryServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static int personId;
    private static int personV2Id;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        server = EmbeddedSchemaRegistryServer.start(dataDirectory, 0);
        personId = post("/subjects/people-value/versions", schemaBody(PERSON), V1).body().get("id").asInt();
        personV2Id = post("/subjects/people-value/versions", schemaBody(PERSON_V2), V1).body().get("id").asInt();
        post("/subjects/" + URLEncoder.encode("a b+c", StandardCharsets.UTF_8).replace("+", "%20")
                + "/versions", schemaBody(PERSON), V1);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void listsSubjectsAndVersions() throws Exception {
        assertThat(get("/subjects").body().toString()).isEqualTo("[\"a b+c\",\"people-value\"]");
        assertThat(get("/subjects/people-value/versions").body().toString()).isEqualTo("[1,2]");
    }

    @Test
    void readsAVersionByNumberOrAsLatest() throws Exception {
        Reply first = get("/subjects/people-value/versions/1");
        Reply latest = get("/subjects/people-value/versions/latest");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("subject").asText()).isEqualTo("people-value");
        assertThat(first.body().get("version").asInt()).isEqualTo(1);
        assertThat(first.body().get("id").asInt()).isEqualTo(personId);
        assertThat(JSON.readTree(first.body().get("schema").asText())).isEqualTo(JSON.readTree(PERSON));
        assertThat(latest.body().get("version").asInt()).isEqualTo(2);
        assertThat(latest.body().get("id").asInt()).isEqualTo(personV2Id);
        assertThat(get("/subjects/people-value/versions/-1").body()).isEqualTo(latest.body());
        assertThat(JSON.readTree(raw("/subjects/people-value/versions/1/schema"))).isEqualTo(JSON.readTree(PERSON));
    }

    @Test
    void readsASchemaByIdAndTheGlobalConfig() throws Exception {
        assertThat(JSON.readTree(get("/schemas/ids/" + personV2Id).body().get("schema").asText()))
                .isEqualTo(JSON.readTree(PERSON_V2));
        assertThat(get("/config").body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        assertThat(get("/config/people-value?defaultToGlobal=true").body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertError(get("/config/people-value"), 404, 40408, "people-value");
        assertThat(get("/schemas/types").body().toString()).isEqualTo("[\"AVRO\"]");
        assertThat(get("/subjects/a%20b%2Bc/versions/latest").body().get("id").asInt())
                .as("percent-encoded subjects, '+' included").isEqualTo(personId);
    }

    @Test
    void looksUpASchemaWhateverItsWhitespace() throws Exception {
        Reply found = post("/subjects/people-value", schemaBody(PERSON.replace(",", ", ")), "application/json");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("id").asInt()).isEqualTo(personId);
        assertThat(found.body().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void answersErrorsWithConfluentsCodes() throws Exception {
        assertError(get("/subjects/nobody-value/versions/latest"), 404, 40401, "nobody-value");
        assertError(get("/subjects/people-value/versions/9"), 404, 40402, "Version 9");
        assertError(get("/subjects/people-value/versions/first"), 422, 42202, "first");
        assertError(get("/schemas/ids/4242"), 404, 40403, "4242");
        assertError(post("/subjects/people-value", schemaBody(PERSON_REQUIRED_EMAIL), V1), 404, 40403, "people-value");
        assertError(post("/subjects/people-value/versions", schemaBody(PERSON_REQUIRED_EMAIL), V1), 409, 409,
                "incompatible");
        assertError(post("/subjects/people-value/versions", schemaBody("{\"type\":\"record\"}"), V1), 422, 42201,
                "Invalid schema");
        assertError(post("/subjects/people-value/versions", "{\"schema\":\"\"}", V1), 422, 42201, "Empty schema");
        assertError(post("/subjects/people-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}", V1), 422, 42201, "PROTOBUF");
        assertError(post("/subjects/people-value/versions", schemaBody(PERSON), "text/plain"), 415, 415, "415");
        assertError(get("/nowhere"), 404, 404, "Not Found");
        assertThat(get("/subjects/people-value/versions").body().toString()).as("nothing refused was registered")
                .isEqualTo("[1,2]");
    }

    @Test
    void checksCompatibilityWithTheLatestVersion() throws Exception {
        String path = "/compatibility/subjects/people-value/versions/latest";
        assertThat(post(path, schemaBody(PERSON_REQUIRED_EMAIL), V1).body().get("is_compatible").asBoolean()).isFalse();
        assertThat(post(path, schemaBody(PERSON), V1).body().get("is_compatible").asBoolean()).isTrue();
    }

    private static void assertError(Reply reply, int status, int code, String messagePart) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(V1);
        assertThat(reply.body().get("error_code").asInt()).isEqualTo(code);
        assertThat(reply.body().get("message").asText()).contains(messagePart);
    }

    private record Reply(int status, String contentType, JsonNode body) {}

    private static String schemaBody(String schema) throws IOException {
        return JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    }

    private static Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build());
    }

    private static String raw(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Reply post(String path, String body, String contentType) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }
}
