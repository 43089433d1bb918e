package io.streamrag.ingest;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Debezium PostgreSQL envelopes for the {@code articles} table as the Avro converter writes them. */
final class DebeziumAvroEvents {

    static final Schema KEY = SchemaBuilder.record("Key").namespace("avro.public.articles").fields()
            .requiredInt("id").endRecord();
    static final Schema VALUE = SchemaBuilder.record("Value").namespace("avro.public.articles").fields()
            .requiredInt("id")
            .optionalString("title")
            .optionalString("body")
            .optionalString("tenant")
            .optionalString("attributes")
            .optionalString("lang")
            .optionalLong("updated_at")
            .optionalBoolean("deleted")
            .endRecord();
    static final Schema SOURCE = SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql")
            .fields()
            .requiredString("version")
            .requiredString("connector")
            .requiredString("name")
            .requiredLong("ts_ms")
            .optionalString("snapshot")
            .requiredString("db")
            .requiredString("schema")
            .requiredString("table")
            .optionalLong("lsn")
            .endRecord();
    static final Schema ENVELOPE = SchemaBuilder.record("Envelope").namespace("avro.public.articles").fields()
            .name("before").type().optional().type(VALUE)
            .name("after").type().optional().type(VALUE)
            .name("source").type(SOURCE).noDefault()
            .requiredString("op")
            .optionalLong("ts_ms")
            .endRecord();

    private DebeziumAvroEvents() {
    }

    static byte[] key(int id) {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("id", id);
        return WireFormatTestSerdes.encode(key);
    }

    static byte[] envelope(String op, Map<String, Object> before, Map<String, Object> after, long lsn) {
        GenericRecord source = new GenericData.Record(SOURCE);
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "avro");
        source.put("ts_ms", DebeziumEvents.TS_MS);
        source.put("snapshot", "false");
        source.put("db", "shop");
        source.put("schema", "public");
        source.put("table", "articles");
        source.put("lsn", lsn);
        GenericRecord envelope = new GenericData.Record(ENVELOPE);
        envelope.put("before", row(before));
        envelope.put("after", row(after));
        envelope.put("source", source);
        envelope.put("op", op);
        envelope.put("ts_ms", DebeziumEvents.TS_MS + 5);
        return WireFormatTestSerdes.encode(envelope);
    }

    private static GenericRecord row(Map<String, Object> columns) {
        if (columns == null) {
            return null;
        }
        GenericRecord row = new GenericData.Record(VALUE);
        columns.forEach(row::put);
        return row;
    }
}
