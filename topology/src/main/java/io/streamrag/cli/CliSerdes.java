package io.streamrag.cli;

import io.streamrag.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Registry wire-format value serdes configured from the command's connection options. */
final class CliSerdes {

    private CliSerdes() {
    }

    static <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, KafkaConnectionOptions connection) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(connection.serdeConfig(), false);
        return serde;
    }
}
