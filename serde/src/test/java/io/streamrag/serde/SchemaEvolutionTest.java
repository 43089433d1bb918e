package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.serde.samples.Article;
import io.streamrag.serde.samples.Query;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records written by producers with an older or newer Article schema are read by today's class: the
 * deserializer resolves the writer schema by id and reads into the class's schema.
 */
class SchemaEvolutionTest {

    private static final String SCOPE = "evolution";
    private static final Map<String, Object> CONFIG = Map.of(RegistryClientConfig.URL, "mock://" + SCOPE);

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void aNewerWriterWithAnAddedFieldIsReadAsTodaysClass() {
        Schema newer = TestSchemas.withField(Article.getClassSchema(),
                new Schema.Field("priority", Schema.create(Schema.Type.INT), "added in v2", 0));
        GenericRecord written = copyInto(newer, SerdeSamples.article());
        written.put("priority", 3);

        Article read = readAsArticle("docs-newer", written);

        assertThat(read).isEqualTo(SerdeSamples.article());
    }

    @Test
    void anOlderWriterWithoutAFieldIsReadWithTheFieldsDefault() {
        Schema older = TestSchemas.withoutField(Article.getClassSchema(), "tenant");
        GenericRecord written = copyInto(older, SerdeSamples.article());

        Article read = readAsArticle("docs-older", written);

        Article expected = Article.newBuilder(SerdeSamples.article()).setTenant(null).build();
        assertThat(read).isEqualTo(expected);
        assertThat(read.getTenant()).isNull();
        assertThat(read.getBody()).isEqualTo(SerdeSamples.article().getBody());
    }

    @Test
    void aWriterThatDroppedARequiredFieldIsRefusedWithTheReason() {
        Schema broken = TestSchemas.withoutField(Article.getClassSchema(), "documentId");
        GenericRecord written = copyInto(broken, SerdeSamples.article());

        assertThatThrownBy(() -> readAsArticle("docs-broken", written))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.streamrag.serde.samples.Article")
                .hasMessageContaining("documentId")
                .hasMessageContaining("schema id");
    }

    @Test
    void useLatestVersionWritesAnOldRecordInTheSubjectsLatestSchema() {
        Schema newer = TestSchemas.withField(Article.getClassSchema(),
                new Schema.Field("priority", Schema.create(Schema.Type.INT), "added in v2", 0));
        SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(SCOPE);
        registry.register("docs-latest-value", Article.getClassSchema());
        int latestId = registry.register("docs-latest-value", newer);
        AvroSerializer<Article> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        byte[] bytes = serializer.serialize("docs-latest", SerdeSamples.article());

        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        GenericAvroDeserializer generic = new GenericAvroDeserializer();
        generic.configure(CONFIG, false);
        GenericRecord read = generic.deserialize("docs-latest", bytes);
        assertThat(read.get("priority")).as("the new field's default").isEqualTo(0);
        assertThat(read.get("documentId").toString()).isEqualTo("doc-42");
        assertThat(registry.latest("docs-latest-value").version()).as("nothing new registered").isEqualTo(2);
    }

    @Test
    void useLatestVersionRefusesALatestSchemaThatCannotHoldTheRecord() {
        MockSchemaRegistry.clientForScope(SCOPE).register("docs-other-value", Query.getClassSchema());
        AvroSerializer<Article> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        assertThatThrownBy(() -> serializer.serialize("docs-other", SerdeSamples.article()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("use.latest.version: the latest schema of subject 'docs-other-value' (id 1, version 1)"
                        + " cannot represent a io.streamrag.serde.samples.Article record for topic 'docs-other': NAME_MISMATCH");
    }

    private static Article readAsArticle(String topic, GenericRecord written) {
        AvroSerializer<GenericRecord> producer = new AvroSerializer<>();
        producer.configure(CONFIG, false);
        byte[] bytes = producer.serialize(topic, written);
        SpecificAvroSerde<Article> serde = new SpecificAvroSerde<>(Article.class);
        serde.configure(CONFIG, false);
        return serde.deserializer().deserialize(topic, bytes);
    }

    /** The record's values in another schema of the same record, field by field where the names match. */
    static GenericRecord copyInto(Schema target, Article record) {
        GenericRecord source = asGeneric(record);
        GenericRecord copy = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            if (source.getSchema().getField(field.name()) != null) {
                copy.put(field.name(), source.get(field.name()));
            }
        }
        return copy;
    }

    private static GenericRecord asGeneric(Article record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<Article>(Article.getClassSchema()).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(Article.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
