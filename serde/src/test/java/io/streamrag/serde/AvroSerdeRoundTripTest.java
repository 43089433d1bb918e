package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every contract type through the serde, over HTTP to the registry double and through mock://. */
class AvroSerdeRoundTripTest {

    private static final String MOCK_SCOPE = "round-trip";
    private static ConfluentRegistryDouble registry;

    @BeforeAll
    static void start() throws IOException {
        registry = ConfluentRegistryDouble.start("/apis/ccompat/v7", null);
    }

    @AfterAll
    static void stop() {
        registry.close();
        MockSchemaRegistry.dropScope(MOCK_SCOPE);
    }

    static Stream<Arguments> registriesAndSamples() {
        return Stream.of("http", "mock").flatMap(kind -> SerdeSamples.all().stream()
                .map(sample -> Arguments.of(kind, sample.getSchema().getName(), sample)));
    }

    private static String url(String kind) {
        return kind.equals("http") ? registry.url() : "mock://" + MOCK_SCOPE;
    }

    /** A client that did not take part in serializing, to check what the registry holds. */
    private static SchemaRegistryClient observer(String kind) {
        return SchemaRegistryClients.create(RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, url(kind))));
    }

    @ParameterizedTest(name = "{1} via {0}")
    @MethodSource("registriesAndSamples")
    <T extends SpecificRecord> void specificRecordsRoundTrip(String kind, String typeName, T sample) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) sample.getClass();
        String topic = "samples-" + typeName.toLowerCase();
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of(RegistryClientConfig.URL, url(kind)), false);

        byte[] bytes = serde.serializer().serialize(topic, sample);
        T back = serde.deserializer().deserialize(topic, bytes);

        assertThat(back).isInstanceOf(type).isEqualTo(sample);
        assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(id).isEqualTo(observer(kind).lookUpId(topic + "-value", sample.getSchema()));
        assertThat(observer(kind).schemaById(id)).isEqualTo(sample.getSchema());
    }

    @ParameterizedTest(name = "{1} via {0}")
    @MethodSource("registriesAndSamples")
    void theGenericDeserializerReadsTheSameBytesInTheWriterSchema(String kind, String typeName, SpecificRecord sample) {
        String topic = "generic-" + typeName.toLowerCase();
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, url(kind)), false);
        GenericAvroDeserializer deserializer = new GenericAvroDeserializer();
        deserializer.configure(Map.of(RegistryClientConfig.URL, url(kind), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);

        GenericRecord generic = deserializer.deserialize(topic, serializer.serialize(topic, sample));

        assertThat(generic).isInstanceOf(GenericData.Record.class);
        assertThat(generic.getSchema()).isEqualTo(sample.getSchema());
        // same values field by field (Avro's record equality; logical types travel as their base type)
        assertThat(generic).isEqualTo(reencodedAsGeneric(sample));
    }

    @Test
    void genericRecordsRoundTripThroughTheGenericSerde() {
        Schema person = TestSchemas.record("Person", "name", "city");
        GenericRecord record = new GenericData.Record(person);
        record.put("name", "Rollo");
        record.put("city", "Rouen");
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(Map.of(RegistryClientConfig.URL, registry.url()), false);

        GenericRecord back = serde.deserializer().deserialize("people", serde.serializer().serialize("people", record));

        assertThat(back.get("name").toString()).isEqualTo("Rollo");
        assertThat(back.get("city").toString()).isEqualTo("Rouen");
        assertThat(observer("http").latest("people-value").schema()).isEqualTo(person);
    }

    @Test
    void noArgumentSpecificSerdeFindsTheGeneratedClassByTheWriterSchemaName() {
        SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde<>();
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://" + MOCK_SCOPE), false);

        SpecificRecord back = serde.deserializer().deserialize("questions",
                serde.serializer().serialize("questions", SerdeSamples.query()));

        assertThat(back).isEqualTo(SerdeSamples.query());
    }

    @Test
    void keysUseTheKeySubject() {
        SpecificAvroSerde<io.streamrag.serde.samples.Query> serde =
                new SpecificAvroSerde<>(io.streamrag.serde.samples.Query.class);
        serde.configure(Map.of(RegistryClientConfig.URL, registry.url()), true);

        byte[] bytes = serde.serializer().serialize("keyed", SerdeSamples.query());

        assertThat(serde.deserializer().deserialize("keyed", bytes)).isEqualTo(SerdeSamples.query());
        assertThat(observer("http").latest("keyed-key").id()).isEqualTo(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void nullIsATombstoneBothWays() {
        SpecificAvroSerde<io.streamrag.serde.samples.Article> serde =
                new SpecificAvroSerde<>(io.streamrag.serde.samples.Article.class);
        serde.configure(Map.of(RegistryClientConfig.URL, "mock://" + MOCK_SCOPE), false);

        assertThat(serde.serializer().serialize("documents", null)).isNull();
        assertThat(serde.deserializer().deserialize("documents", null)).isNull();
    }

    /** The sample as a GenericRecord of its own schema, via a plain Avro encode/decode (no registry involved). */
    private static GenericRecord reencodedAsGeneric(SpecificRecord sample) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.specific.SpecificDatumWriter<SpecificRecord>(sample.getSchema()).write(sample, encoder);
            encoder.flush();
            return new org.apache.avro.generic.GenericDatumReader<GenericRecord>(sample.getSchema())
                    .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
