package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads {@link DocumentChange} events (Avro, registry wire format, keyed by the document id as a UTF-8 string) and
 * forwards them keyed by document id. A null value deletes the key's document. Records that cannot be read or break
 * the rules of {@link ChangeValidator} go to the dead-letter sink; the stream goes on.
 */
public final class DocumentChangeDecoder implements Processor<byte[], byte[], String, SpecificRecord> {

    private final Deserializer<DocumentChange> deserializer;
    private final ChangeValidator validator;
    private final DeadLetters deadLetters;
    private final String changesChild;
    private final String deadLettersChild;
    private ProcessorContext<String, SpecificRecord> context;

    public DocumentChangeDecoder(Deserializer<DocumentChange> deserializer, ChangeValidator validator,
                                 DeadLetters deadLetters, String changesChild, String deadLettersChild) {
        this.deserializer = deserializer;
        this.validator = validator;
        this.deadLetters = deadLetters;
        this.changesChild = changesChild;
        this.deadLettersChild = deadLettersChild;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String documentId;
        DocumentChange change;
        try {
            change = record.value() == null ? null : decode(record.value());
            documentId = change == null ? tombstoneId(record.key()) : change.getDocumentId();
            if (change != null) {
                validator.check(change);
            }
        } catch (RejectedRecordException rejection) {
            context.forward(new Record<String, SpecificRecord>(rejection.documentId(),
                    deadLetters.of(context, record, rejection), record.timestamp()), deadLettersChild);
            return;
        }
        context.forward(new Record<String, SpecificRecord>(documentId, change, record.timestamp()), changesChild);
    }

    private DocumentChange decode(byte[] value) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        Object decoded;
        try {
            decoded = deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            throw new RejectedRecordException(isSchemaMismatch(e) ? RejectReason.WRONG_SCHEMA
                    : RejectReason.UNPARSEABLE, null, "not a DocumentChange in the registry wire format", e);
        }
        if (!(decoded instanceof DocumentChange change)) {
            throw new RejectedRecordException(RejectReason.WRONG_SCHEMA, null, "expected a DocumentChange, got "
                    + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        return change;
    }

    private static String tombstoneId(byte[] key) {
        String id = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (id == null || id.isBlank()) {
            throw new RejectedRecordException(RejectReason.NO_ID, null, "tombstone without a document id key");
        }
        return id;
    }

    /** Avro's schema resolution errors (a different record, a missing field without default) mean a wrong schema. */
    private static boolean isSchemaMismatch(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.avro.AvroTypeException) {
                return true;
            }
        }
        return false;
    }
}
