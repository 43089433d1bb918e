package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@link DocumentChange} events (Avro, registry wire format, keyed by the document id as a UTF-8 string). A
 * null value deletes the key's document. The key must be the document id: a change keyed {@code a} that says
 * {@code documentId = b} would be indexed as {@code b} while a later tombstone keyed {@code a} deleted {@code a},
 * and changes of one document under different keys could land on different partitions, out of order. Such a change
 * is dead-lettered with reason {@link RejectReason#KEY_MISMATCH}.
 */
public final class DocumentChangeReader implements ChangeReader {

    private final Deserializer<DocumentChange> deserializer;

    public DocumentChangeReader(Deserializer<DocumentChange> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public MappedChange read(String topic, byte[] key, byte[] value, long timestamp) {
        if (value == null) {
            String id = key == null ? null : new String(key, StandardCharsets.UTF_8);
            if (id == null || id.isBlank()) {
                throw new RejectedRecordException(RejectReason.NO_ID, null, "tombstone without a document id key");
            }
            return new MappedChange(id, null);
        }
        Object decoded;
        try {
            decoded = deserializer.deserialize(topic, value);
        } catch (SerializationException e) {
            // the record's fault; an unreachable registry is not, and fails the thread as it is
            throw new RejectedRecordException(isSchemaMismatch(e) ? RejectReason.WRONG_SCHEMA
                    : RejectReason.UNPARSEABLE, null, "not a DocumentChange in the registry wire format", e);
        }
        if (!(decoded instanceof DocumentChange change)) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, null, "expected a DocumentChange, got "
                    + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        String keyId = key == null ? null : new String(key, StandardCharsets.UTF_8);
        // a change without an id is the validator's (no-id); one with an id must carry it as its key
        if (change.getDocumentId() != null && !change.getDocumentId().isBlank()
                && !change.getDocumentId().equals(keyId)) {
            throw new RejectedRecordException(RejectReason.KEY_MISMATCH, change.getDocumentId(),
                    "the record key " + (keyId == null ? "is missing" : "'" + abbreviate(keyId) + "' differs")
                            + "; it must equal documentId '" + abbreviate(change.getDocumentId()) + "'");
        }
        return new MappedChange(change.getDocumentId(), change);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /**
     * A writer schema the DocumentChange schema cannot read (another record type, a field without default). The
     * serde says so only in its message ("... cannot be read as ..."); Avro's own resolution errors count too.
     */
    private static boolean isSchemaMismatch(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.avro.AvroTypeException
                    || (t.getMessage() != null && t.getMessage().contains("cannot be read as"))) {
                return true;
            }
        }
        return false;
    }
}
