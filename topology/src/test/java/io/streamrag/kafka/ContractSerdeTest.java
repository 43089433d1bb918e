package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.serde.AvroTrust;
import io.streamrag.serde.MockSchemaRegistry;
import io.streamrag.serde.RegistryClientConfig;
import io.streamrag.serde.SpecificAvroSerde;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every contract of the schemas module through the serde module, as the topics carry them: the serde's own tests use
 * records of their own, so this is where the two meet.
 */
class ContractSerdeTest {

    private static final String SCOPE = "contracts";

    @AfterAll
    static void drop() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    static Stream<SpecificRecord> contracts() {
        return ContractSamples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contracts")
    <T extends SpecificRecord> void everyContractRoundTripsOnTheWireFormat(T sample) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) sample.getClass();
        String topic = "contracts-" + type.getSimpleName().toLowerCase();
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE), false);

        byte[] bytes = serde.serializer().serialize(topic, sample);

        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(sample);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(MockSchemaRegistry.clientForScope(SCOPE).schemaById(id)).isEqualTo(sample.getSchema());
    }

    @Test
    void theSerdeTrustsTheContractsWithoutTheSystemProperty() {
        ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
        try {
            SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>();
            serde.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE), false);

            for (SpecificRecord sample : ContractSamples.all()) {
                String topic = "trust-" + sample.getClass().getSimpleName().toLowerCase();
                Object back = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, sample));
                assertThat(back).isEqualTo(sample);
                assertThat(AvroTrust.isTrusted(sample.getClass())).isTrue();
            }
        } finally {
            ClassSecurityValidator.setGlobal(before);
        }
    }
}
