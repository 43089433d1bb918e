package io.streamrag.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium PostgreSQL events for the {@code articles} table as the JSON converter writes them, with and without
 * {@code schemas.enable}, as full envelopes or flattened by {@code ExtractNewRecordState}.
 */
final class DebeziumEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final long TS_MS = IngestRig.NOW.minusMillis(400).toEpochMilli();

    private DebeziumEvents() {
    }

    static Map<String, Object> row(int id, String title, String body) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("title", title);
        row.put("body", body);
        row.put("tenant", "acme");
        row.put("attributes", "{\"category\": \"news\", \"rank\": 3, \"tags\": [\"a\", \"b\"]}");
        row.put("lang", "en");
        row.put("updated_at", 1_700_000_000_000_000L + id);
        row.put("deleted", false);
        return row;
    }

    static Map<String, Object> keyOnly(int id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        return row;
    }

    /** The envelope's payload ({@code schemas.enable=false}). */
    static byte[] envelope(String op, Map<String, Object> before, Map<String, Object> after, long lsn) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("version", "3.6.3.Final");
        source.put("connector", "postgresql");
        source.put("name", "pg");
        source.put("ts_ms", TS_MS);
        source.put("snapshot", op.equals("r") ? "true" : "false");
        source.put("db", "shop");
        source.put("schema", "public");
        source.put("table", "articles");
        source.put("txId", 771);
        source.put("lsn", lsn);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", before);
        event.put("after", after);
        event.put("source", source);
        event.put("op", op);
        event.put("ts_ms", TS_MS + 5);
        event.put("transaction", null);
        return json(event);
    }

    /** The same payload wrapped as {@code JsonConverter} with {@code schemas.enable=true} writes it. */
    static byte[] withSchema(byte[] payload, String schemaName) {
        try {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("type", "struct");
            schema.put("fields", List.of(
                    Map.of("type", "struct", "optional", true, "field", "before", "name", "pg.public.articles.Value",
                            "fields", List.of(Map.of("type", "int32", "optional", false, "field", "id"))),
                    Map.of("type", "string", "optional", false, "field", "op")));
            schema.put("optional", false);
            schema.put("name", schemaName);
            Map<String, Object> wrapped = new LinkedHashMap<>();
            wrapped.put("schema", schema);
            wrapped.put("payload", JSON.readValue(payload, Object.class));
            return JSON.writeValueAsBytes(wrapped);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record key, {@code {"id": ..}}. */
    static byte[] key(int id) {
        return json(keyOnly(id));
    }

    static byte[] keyWithSchema(int id) {
        return withSchema(key(id), "pg.public.articles.Key");
    }

    /** A row flattened by ExtractNewRecordState with {@code add.fields=op,lsn,source.ts_ms}. */
    static byte[] flattened(Map<String, Object> row, String op, long lsn) {
        Map<String, Object> flat = new LinkedHashMap<>(row);
        flat.put("__op", op);
        flat.put("__lsn", lsn);
        flat.put("__source_ts_ms", TS_MS);
        flat.put("__deleted", op.equals("d") ? "true" : "false");
        return json(flat);
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
