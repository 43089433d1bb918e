package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.serde.samples.Query;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against a real registry (Confluent, Redpanda, Karapace, Apicurio's /apis/ccompat/v7), only when
 * {@code SCHEMA_REGISTRY_URL} is set; {@code SCHEMA_REGISTRY_USER_INFO} (user:password) or
 * {@code SCHEMA_REGISTRY_BEARER_TOKEN} add credentials. Registers under a fresh subject each run.
 */
@EnabledIfEnvironmentVariable(named = "SCHEMA_REGISTRY_URL", matches = ".+")
class RealSchemaRegistryContractTest {

    private static Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, System.getenv("SCHEMA_REGISTRY_URL"));
        String userInfo = System.getenv("SCHEMA_REGISTRY_USER_INFO");
        if (userInfo != null && !userInfo.isBlank()) {
            config.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
            config.put(RegistryClientConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        String token = System.getenv("SCHEMA_REGISTRY_BEARER_TOKEN");
        if (token != null && !token.isBlank()) {
            config.put(RegistryClientConfig.BEARER_AUTH_TOKEN, token);
        }
        return config;
    }

    @Test
    void registersFetchesAndLooksUpASchema() {
        SchemaRegistryClient client = SchemaRegistryClients.create(RegistryClientConfig.from(config()));
        String subject = "streamrag-contract-test-" + UUID.randomUUID() + "-value";
        Schema schema = Query.getClassSchema();

        int id = client.register(subject, schema);

        SchemaRegistryClient fresh = SchemaRegistryClients.create(RegistryClientConfig.from(config()));
        assertThat(fresh.register(subject, schema)).isEqualTo(id);
        // registries may reformat the text they store; the parsing canonical form must survive
        assertThat(SchemaNormalization.parsingFingerprint64(fresh.schemaById(id)))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
        assertThat(fresh.lookUpId(subject, schema)).isEqualTo(id);
        RegisteredSchema latest = fresh.latest(subject);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
    }

    @Test
    void aQuestionRoundTripsThroughTheSerde() {
        String topic = "streamrag-contract-test-" + UUID.randomUUID();
        SpecificAvroSerde<Query> serde = new SpecificAvroSerde<>(Query.class);
        serde.configure(config(), false);

        Query back = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, SerdeSamples.query()));

        assertThat(back).isEqualTo(SerdeSamples.query());
    }
}
