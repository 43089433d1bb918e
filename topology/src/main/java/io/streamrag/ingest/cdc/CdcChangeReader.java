package io.streamrag.ingest.cdc;

import io.streamrag.ingest.ChangeReader;
import io.streamrag.ingest.MappedChange;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads the records of one CDC source: decodes key and value, then maps the Debezium event through the mapping. */
public final class CdcChangeReader implements ChangeReader {

    private final CdcPayloadDecoder decoder;
    private final DebeziumChangeReader events;

    public CdcChangeReader(CdcSource source, Deserializer<?> avro) {
        this.decoder = new CdcPayloadDecoder(source.format(), avro);
        this.events = new DebeziumChangeReader(source.name(), source.mapping());
    }

    @Override
    public MappedChange read(String topic, byte[] key, byte[] value, long timestamp) {
        return events.read(decoder.key(topic, key), decoder.value(topic, value), timestamp);
    }
}
