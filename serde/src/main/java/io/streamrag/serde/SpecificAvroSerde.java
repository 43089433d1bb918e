package io.streamrag.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registry wire-format serde for a generated Avro class, e.g. {@code new SpecificAvroSerde<>(Question.class)}.
 * Reads with the class's schema as the reader schema, so records written with an older or newer compatible schema
 * come out as the current class. The no-argument form (for Kafka's by-class-name configuration) picks the class by
 * the writer schema's name.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    public SpecificAvroSerde() {
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>();
    }

    /** Reads into this class; the client is built from {@code schema.registry.url} when configured. */
    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Reads into this class through this client (shared by the serializer and the deserializer). */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.serializer = new AvroSerializer<>(client);
        this.deserializer = new AvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        serializer.configure(specific, isKey);
        deserializer.configure(specific, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
