package io.streamrag.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads any registry-framed Avro record as a {@link GenericRecord} in its writer's schema, e.g. Debezium's events
 * written by Confluent's {@code AvroConverter}. Ignores {@code specific.avro.reader}.
 */
public class GenericAvroDeserializer extends AvroDeserializer<GenericRecord> {

    public GenericAvroDeserializer() {
    }

    public GenericAvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> generic = new HashMap<>(configs);
        generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        super.configure(generic, isKey);
    }
}
