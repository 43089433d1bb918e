package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Question;
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
 * Records written by producers with an older or newer DocumentChange schema are read by today's class: the
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
        Schema newer = TestSchemas.withField(DocumentChange.getClassSchema(),
                new Schema.Field("priority", Schema.create(Schema.Type.INT), "added in v2", 0));
        GenericRecord written = copyInto(newer, ContractSamples.documentChange());
        written.put("priority", 3);

        DocumentChange read = readAsDocumentChange("docs-newer", written);

        assertThat(read).isEqualTo(ContractSamples.documentChange());
    }

    @Test
    void anOlderWriterWithoutAFieldIsReadWithTheFieldsDefault() {
        Schema older = TestSchemas.withoutField(DocumentChange.getClassSchema(), "tenant");
        GenericRecord written = copyInto(older, ContractSamples.documentChange());

        DocumentChange read = readAsDocumentChange("docs-older", written);

        DocumentChange expected = DocumentChange.newBuilder(ContractSamples.documentChange()).setTenant(null).build();
        assertThat(read).isEqualTo(expected);
        assertThat(read.getTenant()).isNull();
        assertThat(read.getBody()).isEqualTo(ContractSamples.documentChange().getBody());
    }

    @Test
    void aWriterThatDroppedARequiredFieldIsRefusedWithTheReason() {
        Schema broken = TestSchemas.withoutField(DocumentChange.getClassSchema(), "documentId");
        GenericRecord written = copyInto(broken, ContractSamples.documentChange());

        assertThatThrownBy(() -> readAsDocumentChange("docs-broken", written))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.streamrag.contracts.DocumentChange")
                .hasMessageContaining("documentId")
                .hasMessageContaining("schema id");
    }

    @Test
    void useLatestVersionWritesAnOldRecordInTheSubjectsLatestSchema() {
        Schema newer = TestSchemas.withField(DocumentChange.getClassSchema(),
                new Schema.Field("priority", Schema.create(Schema.Type.INT), "added in v2", 0));
        SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(SCOPE);
        registry.register("docs-latest-value", DocumentChange.getClassSchema());
        int latestId = registry.register("docs-latest-value", newer);
        AvroSerializer<DocumentChange> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        byte[] bytes = serializer.serialize("docs-latest", ContractSamples.documentChange());

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
        MockSchemaRegistry.clientForScope(SCOPE).register("docs-other-value", Question.getClassSchema());
        AvroSerializer<DocumentChange> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE,
                AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        assertThatThrownBy(() -> serializer.serialize("docs-other", ContractSamples.documentChange()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("use.latest.version: the latest schema of subject 'docs-other-value' (id 1, version 1)"
                        + " cannot represent a io.streamrag.contracts.DocumentChange record for topic 'docs-other': NAME_MISMATCH");
    }

    private static DocumentChange readAsDocumentChange(String topic, GenericRecord written) {
        AvroSerializer<GenericRecord> producer = new AvroSerializer<>();
        producer.configure(CONFIG, false);
        byte[] bytes = producer.serialize(topic, written);
        SpecificAvroSerde<DocumentChange> serde = new SpecificAvroSerde<>(DocumentChange.class);
        serde.configure(CONFIG, false);
        return serde.deserializer().deserialize(topic, bytes);
    }

    /** The record's values in another schema of the same record, field by field where the names match. */
    static GenericRecord copyInto(Schema target, DocumentChange record) {
        GenericRecord source = asGeneric(record);
        GenericRecord copy = new GenericData.Record(target);
        for (Schema.Field field : target.getFields()) {
            if (source.getSchema().getField(field.name()) != null) {
                copy.put(field.name(), source.get(field.name()));
            }
        }
        return copy;
    }

    private static GenericRecord asGeneric(DocumentChange record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<DocumentChange>(DocumentChange.getClassSchema()).write(record, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(DocumentChange.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
