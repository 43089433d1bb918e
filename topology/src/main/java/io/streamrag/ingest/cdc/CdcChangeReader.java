package io.streamrag.ingest.cdc;

import io.streamrag.ingest.ChangeReader;
import io.streamrag.ingest.MappedChange;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads the records of one CDC source: decodes key and value, then maps the Debezium event through the mapping. */
public final class CdcChangeReader implements ChangeReader {

    /** A CDC record's meaning: a change of one document, or the truncation of the whole table. */
    public sealed interface Event permits RowChange, Truncate {
    }

    /** A row's change as a document change (or a version-less delete). */
    public record RowChange(MappedChange change) implements Event {
    }

    /** {@code TRUNCATE} of the source's table: every row is gone. */
    public record Truncate() implements Event {
    }

    private final CdcPayloadDecoder decoder;
    private final DebeziumChangeReader events;

    public CdcChangeReader(CdcSource source, Deserializer<?> avro) {
        this.decoder = new CdcPayloadDecoder(source.format(), avro);
        this.events = new DebeziumChangeReader(source.name(), source.mapping(), source.envelope());
    }

    /**
     * The record as an event; a truncate is recognised before any row is read.
     *
     * @throws io.streamrag.ingest.RejectedRecordException when the record cannot be read
     */
    public Event readEvent(String topic, byte[] key, byte[] value, long timestamp) {
        Map<String, Object> decoded = decoder.value(topic, value);
        if (events.isTruncate(decoded)) {
            return new Truncate();
        }
        return new RowChange(events.read(decoder.key(topic, key), decoded, timestamp));
    }

    /** As a plain change reader: a truncate is rejected (dead-lettered). */
    @Override
    public MappedChange read(String topic, byte[] key, byte[] value, long timestamp) {
        return events.read(decoder.key(topic, key), decoder.value(topic, value), timestamp);
    }
}
