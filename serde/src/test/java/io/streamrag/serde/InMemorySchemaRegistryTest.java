package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema PERSON = TestSchemas.record("Person", "name");
    private static final Schema PERSON_V2 = TestSchemas.withField(PERSON,
            new Schema.Field("email", Schema.create(Schema.Type.STRING), null, "unknown"));

    @Test
    void theJournalSeesEachNewRegistrationOnceAndNothingElse() {
        List<SchemaRegistration> journal = new ArrayList<>();
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", journal::add);

        int v1 = registry.register("people-value", PERSON);
        registry.register("people-value", PERSON);
        registry.lookUpId("people-value", PERSON);
        int shared = registry.register("staff-value", PERSON);
        int v2 = registry.register("people-value", PERSON_V2);

        assertThat(journal).containsExactly(
                new SchemaRegistration("people-value", 1, v1, SchemaDefinition.of(PERSON.toString())),
                new SchemaRegistration("staff-value", 1, shared, SchemaDefinition.of(PERSON.toString())),
                new SchemaRegistration("people-value", 2, v2, SchemaDefinition.of(PERSON_V2.toString())));
    }

    @Test
    void aRegistrationTheJournalCouldNotKeepIsNotMade() {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("", registration -> {
            if (diskFull.get()) {
                throw new SchemaRegistryException("Error in the backend data store", 500, 50001);
            }
        });

        assertThatThrownBy(() -> registry.register("people-value", PERSON))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(50001));
        assertThatThrownBy(() -> registry.latest("people-value")).isInstanceOf(SubjectNotFoundException.class);

        diskFull.set(false);
        assertThat(registry.register("people-value", PERSON)).as("the id was not used up").isEqualTo(1);
        assertThat(registry.latest("people-value").version()).isEqualTo(1);
    }

    @Test
    void restoringReplaysIdsAndVersionsAndTheNextIdFollowsThem() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("");
        registry.restore(new SchemaRegistration("people-value", 1, 7, SchemaDefinition.of(PERSON.toString())));
        registry.restore(new SchemaRegistration("people-value", 2, 3, SchemaDefinition.of(PERSON_V2.toString())));

        assertThat(registry.latest("people-value")).isEqualTo(new RegisteredSchema("people-value", 2, 3, PERSON_V2));
        assertThat(registry.register("other-value", TestSchemas.record("Other", "x"))).isEqualTo(8);
        assertThatThrownBy(() -> registry.restore(
                new SchemaRegistration("x-value", 1, 7, SchemaDefinition.of(PERSON_V2.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 7 is already another schema");
    }

    @Test
    void resolvesReferencesAndRefusesOnesThatNameNoVersion() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("");
        Schema status = new Schema.Parser().parse(
                "{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"t\",\"symbols\":[\"ON\",\"OFF\"]}");
        registry.register("t.Status", status);
        String device = "{\"type\":\"record\",\"name\":\"Device\",\"namespace\":\"t\","
                + "\"fields\":[{\"name\":\"status\",\"type\":\"t.Status\"}]}";

        SchemaRegistration registered = registry.register("devices-value",
                new SchemaDefinition(device, List.of(new SchemaReference("t.Status", "t.Status", 1))));

        assertThat(registry.schemaById(registered.id()).getField("status").schema()).isEqualTo(status);
        assertThat(registry.definitionById(registered.id()).schema()).as("kept as sent").isEqualTo(device);
        assertThatThrownBy(() -> registry.register("devices-value",
                new SchemaDefinition(device, List.of(new SchemaReference("t.Status", "t.Status", 2)))))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("version 2");
    }
}
