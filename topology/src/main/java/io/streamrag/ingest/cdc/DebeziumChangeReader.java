package io.streamrag.ingest.cdc;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.SourceInfo;
import io.streamrag.ingest.RejectReason;
import io.streamrag.ingest.MappedChange;
import io.streamrag.ingest.RejectedRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one decoded Debezium event as a document change, through a {@link CdcFieldMapping}.
 *
 * <p>Accepts the full envelope ({@code before}, {@code after}, {@code op}, {@code source}, {@code ts_ms}) and rows
 * flattened by {@code ExtractNewRecordState} (with the optional {@code __op}, {@code __deleted}, {@code __lsn},
 * {@code __source_ts_ms}, {@code __ts_ms}, {@code __db}, {@code __table} fields). Operations: c, u, r (snapshot) and
 * d; a truncate ({@link #isTruncate}) is the caller's to apply, since it concerns every document of the source; message
 * events are rejected. A full row image (create, update, snapshot read) that lacks a column the mapping names is
 * rejected with the missing names: the mapping does not fit the table, and indexing it would index empty fields.
 *
 * <p>Version: the LSN when the event has one (PostgreSQL), else the binlog position (MySQL, see
 * {@link BinlogPosition}), else the mapping's version column, else the source commit time
 * ({@code source.ts_ms}, {@code __source_ts_ms}, {@code ts_ms}). Without an LSN a version tie counts as a
 * duplicate, so a version column must increase strictly. A delete whose version cannot be compared (no LSN, version
 * column missing from the key-only {@code before} image) deletes whatever the document currently is.
 */
public final class DebeziumChangeReader {

    private final String sourceName;
    private final CdcFieldMapping mapping;
    private final CdcEnvelope envelope;

    public DebeziumChangeReader(String sourceName, CdcFieldMapping mapping) {
        this(sourceName, mapping, CdcEnvelope.AUTO);
    }

    public DebeziumChangeReader(String sourceName, CdcFieldMapping mapping, CdcEnvelope envelope) {
        this.sourceName = sourceName;
        this.mapping = mapping;
        this.envelope = envelope;
    }

    /** Whether the decoded value is a truncate event of the whole table ({@code op = t}, or {@code __op = t}). */
    public boolean isTruncate(Map<String, Object> value) {
        if (value == null) {
            return false;
        }
        return isEnvelope(value) ? "t".equals(ColumnValues.text(value.get("op")))
                : envelope != CdcEnvelope.FULL && "t".equals(ColumnValues.text(value.get("__op")));
    }

    /**
     * @param key             the decoded record key (a map for struct keys), may be null
     * @param value           the decoded record value, null for a tombstone
     * @param recordTimestamp the Kafka record's timestamp, the event time of last resort
     */
    public MappedChange read(Object key, Map<String, Object> value, long recordTimestamp) {
        if (value == null) {
            return new MappedChange(idFromKey(key, null), null);
        }
        if (envelope == CdcEnvelope.FULL && !isEnvelope(value)) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, keyText(key), "source " + sourceName
                    + " is configured with envelope=full, but the event has no 'op' and 'before'/'after' (fields: "
                    + value.keySet() + "); a flattened (ExtractNewRecordState) topic needs envelope=flattened");
        }
        return isEnvelope(value) ? readEnvelope(key, value, recordTimestamp) : readFlattened(key, value,
                recordTimestamp);
    }

    private boolean isEnvelope(Map<String, Object> value) {
        return envelope != CdcEnvelope.FLATTENED && value.containsKey("op")
                && (value.containsKey("after") || value.containsKey("before"));
    }

    @SuppressWarnings("unchecked")
    private MappedChange readEnvelope(Object key, Map<String, Object> event, long recordTimestamp) {
        String op = ColumnValues.text(event.get("op"));
        Map<String, Object> source = event.get("source") instanceof Map<?, ?> map
                ? (Map<String, Object>) map : Map.of();
        Operation operation = operation(op, keyText(key));
        Map<String, Object> row = (Map<String, Object>) (operation == Operation.DELETE ? event.get("before")
                : event.get("after"));
        if (row == null && operation != Operation.DELETE) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, keyText(key),
                    "Debezium '" + op + "' event without an 'after' row");
        }
        Position position = new Position(
                source.get("lsn"),
                BinlogPosition.of(source.get("file"), source.get("pos")),
                first(source.get("ts_ms"), event.get("ts_ms")),
                ColumnValues.text(source.get("connector")),
                ColumnValues.text(source.get("name")),
                ColumnValues.text(source.get("db")),
                ColumnValues.text(source.get("table")),
                snapshot(source.get("snapshot")) || operation == Operation.SNAPSHOT);
        return toChange(key, row == null ? Map.of() : row, operation, position, recordTimestamp);
    }

    private MappedChange readFlattened(Object key, Map<String, Object> row, long recordTimestamp) {
        Operation operation = row.containsKey("__op") ? operation(ColumnValues.text(row.get("__op")), keyText(key))
                : Operation.UPDATE;
        if (ColumnValues.truthy(row.get("__deleted"))) {
            operation = Operation.DELETE;
        }
        Position position = new Position(
                row.get("__lsn"),
                BinlogPosition.of(row.get("__source_file"), row.get("__source_pos")),
                first(row.get("__source_ts_ms"), row.get("__ts_ms")),
                ColumnValues.text(row.get("__source_connector")),
                ColumnValues.text(row.get("__source_name")),
                ColumnValues.text(first(row.get("__db"), row.get("__source_db"))),
                ColumnValues.text(first(row.get("__table"), row.get("__source_table"))),
                snapshot(row.get("__source_snapshot")) || operation == Operation.SNAPSHOT);
        return toChange(key, row, operation, position, recordTimestamp);
    }

    private MappedChange toChange(Object key, Map<String, Object> row, Operation operation, Position position,
                                  long recordTimestamp) {
        String id = documentId(key, row, operation);
        if (operation != Operation.DELETE) {
            requireMappedColumns(id, row);
        }
        if (softDeleted(row)) {
            operation = Operation.DELETE;
        }
        Long version = version(id, row, position, operation);
        if (version == null) {
            return new MappedChange(id, null);
        }
        long eventTime = eventTime(id, position, recordTimestamp);
        boolean delete = operation == Operation.DELETE;
        DocumentChange change = DocumentChange.newBuilder()
                .setOperation(operation)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(delete ? null : text(id, row, mapping.titleColumn()))
                .setBody(delete ? null : body(id, row))
                .setTenant(text(id, row, mapping.tenantColumn()))
                .setMetadata(delete ? Map.of() : metadata(id, row))
                .setSource(SourceInfo.newBuilder()
                        .setSystem(position.connector() == null ? "cdc" : position.connector())
                        .setName(position.name() == null ? sourceName : position.name())
                        .setDatabase(position.database())
                        .setTable(position.table())
                        .setPosition(position.lsn() != null ? ColumnValues.text(position.lsn())
                                : position.binlog() != null ? String.valueOf(position.binlog()) : null)
                        .setSnapshot(position.snapshot())
                        .build())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .build();
        return new MappedChange(id, change);
    }

    /** Null when a delete carries no comparable version. */
    private Long version(String id, Map<String, Object> row, Position position, Operation operation) {
        try {
            if (position.lsn() != null) {
                return ColumnValues.version(position.lsn());
            }
            if (position.binlog() != null) {
                return position.binlog();
            }
            if (mapping.versionColumn() != null) {
                Object version = row.get(mapping.versionColumn());
                if (version != null) {
                    return ColumnValues.version(version);
                }
                if (operation == Operation.DELETE) {
                    return null;
                }
                throw new RejectedRecordException(RejectReason.NO_VERSION, id,
                        "document " + id + ": version column '" + mapping.versionColumn() + "' is empty");
            }
            if (position.sourceTsMs() != null) {
                return ColumnValues.version(position.sourceTsMs());
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RejectedRecordException(RejectReason.BAD_VERSION, id,
                    "document " + id + ": unreadable version: " + e.getMessage(), e);
        }
        if (operation == Operation.DELETE) {
            return null;
        }
        throw new RejectedRecordException(RejectReason.NO_VERSION, id, "document " + id
                + ": the event has no LSN, no source timestamp and the mapping names no version column");
    }

    private static long eventTime(String id, Position position, long recordTimestamp) {
        if (position.sourceTsMs() == null) {
            return recordTimestamp;
        }
        try {
            return ColumnValues.version(position.sourceTsMs());
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.BAD_FIELD, id,
                    "document " + id + ": unreadable source timestamp: " + e.getMessage(), e);
        }
    }

    private Map<String, String> metadata(String id, Map<String, Object> row) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (mapping.metadataColumn() != null) {
            try {
                metadata.putAll(ColumnValues.metadataObject(row.get(mapping.metadataColumn())));
            } catch (IllegalArgumentException e) {
                throw new RejectedRecordException(RejectReason.BAD_FIELD, id,
                        "document " + id + ": column '" + mapping.metadataColumn() + "': " + e.getMessage(), e);
            }
        }
        for (String column : mapping.metadataColumns()) {
            String value = text(id, row, column);
            if (value != null) {
                metadata.put(column, value);
            }
        }
        return metadata;
    }

    private static String text(String id, Map<String, Object> row, String column) {
        if (column == null) {
            return null;
        }
        try {
            return ColumnValues.text(row.get(column));
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.BAD_FIELD, id,
                    "document " + id + ": column '" + column + "': " + e.getMessage(), e);
        }
    }

    /** The id from the row's id columns, each taken from the key when the row lacks it (a key-only delete). */
    private String documentId(Object key, Map<String, Object> row, Operation operation) {
        List<String> parts = new ArrayList<>(mapping.idColumns().size());
        for (String column : mapping.idColumns()) {
            Object value = row.get(column);
            if (value == null) {
                value = keyPart(key, column);
            }
            String text = value == null ? null : ColumnValues.text(value);
            if (text == null || text.isBlank()) {
                throw new RejectedRecordException(RejectReason.NO_ID, null, "source " + sourceName
                        + ": no value for id column '" + column + "' in the "
                        + (operation == null ? "tombstone's key" : "row or key"));
            }
            parts.add(text);
        }
        return mapping.idPrefix() + String.join(mapping.idSeparator(), parts);
    }

    private String idFromKey(Object key, Operation operation) {
        return documentId(key, Map.of(), operation);
    }

    /** A key struct's column, or a primitive key itself when the id is one column. */
    private Object keyPart(Object key, String column) {
        if (key instanceof Map<?, ?> struct) {
            return struct.get(column);
        }
        return mapping.idColumns().size() == 1 ? key : null;
    }

    private String keyText(Object key) {
        try {
            return idFromKey(key, Operation.UPDATE);
        } catch (RejectedRecordException noId) {
            return null;
        }
    }

    private void requireMappedColumns(String id, Map<String, Object> row) {
        List<String> missing = mapping.columns().stream().filter(column -> !row.containsKey(column)).toList();
        if (!missing.isEmpty()) {
            List<String> present = row.keySet().stream().filter(column -> !column.startsWith("__")).toList();
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, id, "source " + sourceName
                    + ": the mapping names column(s) " + missing + " that the table's rows do not have (they have "
                    + present + "); fix cdc.sources." + sourceName + ".* to the table's column names");
        }
    }

    private boolean softDeleted(Map<String, Object> row) {
        if (mapping.softDeleteColumn() == null) {
            return false;
        }
        Object value = row.get(mapping.softDeleteColumn());
        if (mapping.softDeleteValue() == null) {
            return ColumnValues.truthy(value);
        }
        return value != null && mapping.softDeleteValue().equals(ColumnValues.text(value));
    }

    private String body(String id, Map<String, Object> row) {
        try {
            return mapping.body().render(row, ColumnValues::text);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectReason.BAD_FIELD, id,
                    "document " + id + ": body " + mapping.body() + ": " + e.getMessage(), e);
        }
    }

    private static Operation operation(String op, String documentId) {
        if (op == null) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, documentId, "Debezium event without op");
        }
        return switch (op) {
            case "c" -> Operation.CREATE;
            case "u" -> Operation.UPDATE;
            case "d" -> Operation.DELETE;
            case "r" -> Operation.SNAPSHOT;
            case "t" -> throw new RejectedRecordException(RejectReason.UNSUPPORTED_OPERATION, documentId,
                    "TRUNCATE of the table: this source's truncate policy is dead-letter, so its documents were "
                            + "left in the index; delete them explicitly (or set truncate=delete)");
            default -> throw new RejectedRecordException(RejectReason.UNSUPPORTED_OPERATION, documentId,
                    "Debezium op '" + op + "' is not a row change");
        };
    }

    private static boolean snapshot(Object flag) {
        // Debezium writes "true", "first", "last", "incremental", ... while snapshotting and "false" (or null) after
        String text = ColumnValues.text(flag);
        return text != null && !text.equalsIgnoreCase("false");
    }

    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    private record Position(Object lsn, Long binlog, Object sourceTsMs, String connector, String name, String database,
                            String table, boolean snapshot) {
    }
}
