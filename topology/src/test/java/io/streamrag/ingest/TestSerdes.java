package io.streamrag.ingest;

import io.streamrag.serde.GenericAvroSerde;
import io.streamrag.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/** The project's registry serdes on one in-process registry shared by the ingest unit tests. */
final class TestSerdes {

    static final String REGISTRY = "mock://ingest-tests";
    private static final Map<String, String> CONFIG = Map.of("schema.registry.url", REGISTRY);

    private TestSerdes() {
    }

    static <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(CONFIG, false);
        return serde;
    }

    static Deserializer<GenericRecord> generic() {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(CONFIG, false);
        return serde.deserializer();
    }

    /** A generic record framed as Confluent's AvroConverter writes it, under the topic's key or value subject. */
    static byte[] encode(String topic, GenericRecord record, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(CONFIG, isKey);
        return serde.serializer().serialize(topic, record);
    }
}
