package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Query;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private static final Schema PERSON = TestSchemas.record("Person", "name");
    private static final Schema PERSON_V2 = TestSchemas.withField(PERSON,
            new Schema.Field("email", Schema.create(Schema.Type.STRING), null, "unknown"));

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope("a");
        MockSchemaRegistry.dropScope("b");
    }

    @Test
    void serdesNamingTheSameScopeShareOneRegistry() {
        SpecificAvroSerde<Query> producer = new SpecificAvroSerde<>(Query.class);
        producer.configure(Map.of(RegistryClientConfig.URL, "mock://a"), false);
        SpecificAvroSerde<Query> consumer = new SpecificAvroSerde<>(Query.class);
        consumer.configure(Map.of(RegistryClientConfig.URL, "mock://a/"), false);

        byte[] bytes = producer.serializer().serialize("questions", SerdeSamples.query());

        assertThat(consumer.deserializer().deserialize("questions", bytes)).isEqualTo(SerdeSamples.query());
        assertThat(MockSchemaRegistry.clientForScope("a").latest("questions-value").schema())
                .isEqualTo(Query.getClassSchema());
    }

    @Test
    void scopesAreSeparate() {
        MockSchemaRegistry.clientForScope("a").register("people-value", PERSON);

        assertThatThrownBy(() -> MockSchemaRegistry.clientForScope("b").latest("people-value"))
                .isInstanceOf(SubjectNotFoundException.class)
                .hasMessageContaining("people-value");
    }

    @Test
    void droppingAScopeStartsItEmpty() {
        int id = MockSchemaRegistry.clientForScope("a").register("people-value", PERSON);

        MockSchemaRegistry.dropScope("a");

        assertThatThrownBy(() -> MockSchemaRegistry.clientForScope("a").schemaById(id))
                .isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void hasTheRealRegistrysIdsAndVersions() {
        SchemaRegistryClient registry = MockSchemaRegistry.clientForScope("a");

        int v1 = registry.register("people-value", PERSON);
        int again = registry.register("people-value", PERSON);
        int shared = registry.register("staff-value", PERSON);
        int v2 = registry.register("people-value", PERSON_V2);

        assertThat(again).isEqualTo(v1);
        assertThat(shared).isEqualTo(v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(registry.latest("people-value")).isEqualTo(new RegisteredSchema("people-value", 2, v2, PERSON_V2));
        assertThat(registry.latest("staff-value").version()).isEqualTo(1);
        assertThat(registry.lookUpId("people-value", PERSON)).isEqualTo(v1);
        assertThat(registry.schemaById(v2)).isEqualTo(PERSON_V2);
        assertThatThrownBy(() -> registry.lookUpId("staff-value", PERSON_V2)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void refusesABackwardIncompatibleVersion() {
        SchemaRegistryClient registry = MockSchemaRegistry.clientForScope("a");
        registry.register("people-value", PERSON);
        Schema required = TestSchemas.withField(PERSON, new Schema.Field("age", Schema.create(Schema.Type.INT)));

        assertThat(registry.isCompatible("people-value", required)).isFalse();
        assertThatThrownBy(() -> registry.register("people-value", required))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("people-value");
    }
}
