package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final Schema PERSON = TestSchemas.record("Person", "name");
    private static final Schema PERSON_V2 = TestSchemas.withField(PERSON,
            new Schema.Field("email", Schema.create(Schema.Type.STRING), null, "unknown"));

    private ConfluentRegistryDouble registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static RestSchemaRegistryClient client(String urls, Map<String, Object> more) {
        Map<String, Object> config = new HashMap<>(more);
        config.put(RegistryClientConfig.URL, urls);
        return new RestSchemaRegistryClient(RegistryClientConfig.from(config));
    }

    private static RestSchemaRegistryClient client(String urls) {
        return client(urls, Map.of());
    }

    @Test
    void registersAndGetsTheSameIdForAnIdenticalSchema() throws IOException {
        registry = ConfluentRegistryDouble.start();

        int first = client(registry.url()).register("people-value", PERSON);
        int again = client(registry.url()).register("people-value", PERSON);
        int otherSubject = client(registry.url()).register("staff-value", PERSON);
        int evolved = client(registry.url()).register("people-value", PERSON_V2);

        assertThat(again).isEqualTo(first);
        assertThat(otherSubject).as("ids are global to the registry").isEqualTo(first);
        assertThat(evolved).isNotEqualTo(first);
        assertThat(registry.requests("POST /subjects/people-value/versions")).isEqualTo(3);
    }

    @Test
    void cachesRegisteredIdsAndSchemasById() throws IOException {
        registry = ConfluentRegistryDouble.start();
        RestSchemaRegistryClient client = client(registry.url());

        int id = client.register("people-value", PERSON);
        client.register("people-value", PERSON);
        assertThat(client.schemaById(id)).isEqualTo(PERSON);

        RestSchemaRegistryClient reader = client(registry.url());
        assertThat(reader.schemaById(id)).isEqualTo(PERSON);
        assertThat(reader.schemaById(id)).isEqualTo(PERSON);

        assertThat(registry.requests("POST /subjects/people-value/versions")).isEqualTo(1);
        assertThat(registry.requests("GET /schemas/ids/" + id)).as("only the second client asked, once").isEqualTo(1);
    }

    @Test
    void fetchesTheLatestVersionOfASubject() throws IOException {
        registry = ConfluentRegistryDouble.start();
        RestSchemaRegistryClient client = client(registry.url());
        client.register("people-value", PERSON);
        int v2 = client.register("people-value", PERSON_V2);

        RegisteredSchema latest = client(registry.url()).latest("people-value");

        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(v2);
        assertThat(latest.schema()).isEqualTo(PERSON_V2);
        assertThat(latest.subject()).isEqualTo("people-value");
    }

    @Test
    void looksUpTheIdOfARegisteredSchema() throws IOException {
        registry = ConfluentRegistryDouble.start();
        int id = client(registry.url()).register("people-value", PERSON);

        assertThat(client(registry.url()).lookUpId("people-value", PERSON)).isEqualTo(id);
    }

    @Test
    void namesAMissingSubjectOrSchema() throws IOException {
        registry = ConfluentRegistryDouble.start();
        RestSchemaRegistryClient client = client(registry.url());
        client.register("people-value", PERSON);

        assertThatThrownBy(() -> client.latest("nobody-value"))
                .isInstanceOf(SubjectNotFoundException.class)
                .hasMessageContaining("nobody-value")
                .hasMessageContaining("40401")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.lookUpId("nobody-value", PERSON))
                .isInstanceOf(SubjectNotFoundException.class);
        assertThatThrownBy(() -> client.lookUpId("people-value", PERSON_V2))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("40403");
        assertThatThrownBy(() -> client.schemaById(4242))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("schema id 4242")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(404));
    }

    @Test
    void refusesAnIncompatibleSchema() throws IOException {
        registry = ConfluentRegistryDouble.start();
        RestSchemaRegistryClient client = client(registry.url());
        client.register("people-value", PERSON);
        Schema withoutDefault = TestSchemas.withField(PERSON,
                new Schema.Field("age", Schema.create(Schema.Type.INT), null, null));

        assertThat(client.isCompatible("people-value", withoutDefault)).isFalse();
        assertThat(client.isCompatible("people-value", PERSON_V2)).isTrue();
        assertThat(client.isCompatible("new-subject-value", withoutDefault)).as("a first version").isTrue();
        assertThatThrownBy(() -> client.register("people-value", withoutDefault))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("incompatible");
    }

    @Test
    void encodesSubjectsThatAreNotPlainPathSegments() throws IOException {
        registry = ConfluentRegistryDouble.start();
        RestSchemaRegistryClient client = client(registry.url());
        String subject = ":.ctx:docs/with space-value";

        int id = client.register(subject, PERSON);

        assertThat(client(registry.url()).latest(subject).id()).isEqualTo(id);
    }

    @Test
    void worksUnderAPathPrefixAndSaysSoWhenThePrefixIsWrong() throws IOException {
        registry = ConfluentRegistryDouble.start("/apis/ccompat/v7", null);

        int id = client(registry.url() + "/").register("people-value", PERSON);
        assertThat(client(registry.url()).schemaById(id)).isEqualTo(PERSON);

        String withoutPrefix = registry.url().replace("/apis/ccompat/v7", "");
        assertThatThrownBy(() -> client(withoutPrefix).schemaById(id))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("path prefix");
    }

    @Test
    void sendsBasicCredentialsFromUserInfoOrFromTheUrl() throws IOException {
        registry = ConfluentRegistryDouble.start("", basic("alice", "s3cret"));

        int id = client(registry.url(), Map.of(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret")).register("people-value", PERSON);
        Schema viaUrl = client(registry.url().replace("://", "://alice:s3cret@")).schemaById(id);

        assertThat(viaUrl).isEqualTo(PERSON);
    }

    @Test
    void wrongOrMissingCredentialsAreRefusedWith401() throws IOException {
        registry = ConfluentRegistryDouble.start("", basic("alice", "s3cret"));

        assertThatThrownBy(() -> client(registry.url(), Map.of(
                RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:wrong")).register("people-value", PERSON))
                .isInstanceOf(RegistryAuthorizationException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("wrong");
        assertThatThrownBy(() -> client(registry.url()).latest("people-value"))
                .isInstanceOf(RegistryAuthorizationException.class);
    }

    @Test
    void sendsAStaticBearerToken() throws IOException {
        registry = ConfluentRegistryDouble.start("", "Bearer token-123");

        int id = client(registry.url(), Map.of(
                RegistryClientConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                RegistryClientConfig.BEARER_AUTH_TOKEN, "token-123")).register("people-value", PERSON);

        assertThat(id).isPositive();
        assertThatThrownBy(() -> client(registry.url(), Map.of(RegistryClientConfig.BEARER_AUTH_TOKEN, "other"))
                .register("people-value", PERSON))
                .isInstanceOf(RegistryAuthorizationException.class);
    }

    @Test
    void failsOverToTheNextUrlWhenOneCannotBeReached() throws IOException {
        registry = ConfluentRegistryDouble.start();
        String down = "http://127.0.0.1:" + closedPort();
        RestSchemaRegistryClient client = client(down + "," + registry.url());

        int id = client.register("people-value", PERSON);
        RegisteredSchema latest = client.latest("people-value");

        assertThat(latest.id()).isEqualTo(id);
        assertThat(registry.requests("POST /subjects/people-value/versions")).isEqualTo(1);
        assertThat(registry.requests("GET /subjects/people-value/versions/latest")).isEqualTo(1);
    }

    @Test
    void saysWhichUrlsFailedWhenNoneCanBeReached() throws IOException {
        String first = "http://127.0.0.1:" + closedPort();
        String second = "http://127.0.0.1:" + closedPort();

        assertThatThrownBy(() -> client(first + "," + second).schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("Fetch schema id 1")
                .hasMessageContaining(first)
                .hasMessageContaining(second);
    }

    @Test
    void resolvesSchemaReferencesFromOtherSubjects() throws IOException {
        registry = ConfluentRegistryDouble.start();
        Schema status = new Schema.Parser().parse(
                "{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"io.streamrag.test\",\"symbols\":[\"ON\",\"OFF\"]}");
        client(registry.url()).register("io.streamrag.test.Status", status);
        String device = "{\"type\":\"record\",\"name\":\"Device\",\"namespace\":\"io.streamrag.test\","
                + "\"fields\":[{\"name\":\"status\",\"type\":\"io.streamrag.test.Status\"}]}";
        int id = registry.registerWithReferences("devices-value", device,
                List.of(Map.of("name", "io.streamrag.test.Status", "subject", "io.streamrag.test.Status", "version", 1)));

        Schema resolved = client(registry.url()).schemaById(id);

        assertThat(resolved.getField("status").schema()).isEqualTo(status);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
