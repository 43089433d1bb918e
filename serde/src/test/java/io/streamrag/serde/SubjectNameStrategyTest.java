package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Query;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which subject the serializer registers under, for each strategy, as seen in the registry. */
class SubjectNameStrategyTest {

    private static final String SCOPE = "subjects";

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    private static void serialize(boolean isKey, Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, "mock://" + SCOPE);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        AvroSerializer<Query> serializer = new AvroSerializer<>();
        serializer.configure(config, isKey);
        serializer.serialize("questions", SerdeSamples.query());
    }

    private static int registeredVersion(String subject) {
        return MockSchemaRegistry.clientForScope(SCOPE).latest(subject).version();
    }

    @Test
    void topicNameIsTheDefault() {
        serialize(false);
        serialize(true);

        assertThat(registeredVersion("questions-value")).isEqualTo(1);
        assertThat(registeredVersion("questions-key")).isEqualTo(1);
    }

    @Test
    void recordNameUsesTheRecordsFullName() {
        serialize(false, AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");

        assertThat(registeredVersion("io.streamrag.serde.samples.Query")).isEqualTo(1);
    }

    @Test
    void topicRecordNameUsesBoth() {
        serialize(true, AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY, "TopicRecordNameStrategy");

        assertThat(registeredVersion("questions-io.streamrag.serde.samples.Query")).isEqualTo(1);
    }

    @Test
    void recordNameNeedsANamedSchema() {
        assertThatThrownBy(() -> SubjectNameStrategy.RECORD_NAME.subjectName("t", false, Schema.create(Schema.Type.STRING)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RecordNameStrategy needs a named schema");
    }

    @Test
    void withoutAutoRegisterTheSchemaMustAlreadyBeThere() {
        assertThatThrownBy(() -> serialize(false, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("look up schema io.streamrag.serde.samples.Query under subject 'questions-value'")
                .hasCauseInstanceOf(SubjectNotFoundException.class);

        MockSchemaRegistry.clientForScope(SCOPE).register("questions-value", Query.getClassSchema());
        serialize(false, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);

        assertThat(registeredVersion("questions-value")).isEqualTo(1);
    }
}
