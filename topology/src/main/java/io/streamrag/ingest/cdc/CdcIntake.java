package io.streamrag.ingest.cdc;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.ingest.ChangeValidator;
import io.streamrag.ingest.MappedChange;
import io.streamrag.ingest.RejectReason;
import io.streamrag.ingest.RejectedRecordException;
import io.streamrag.ingest.RejectedRecords;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a CDC source's records enter: each is read through the source's mapping and validated; a row change goes to
 * the indexer and, when it is news ({@link CapturedDocuments}), to the captured-documents topic as the document's
 * normalised state (a tombstone for a delete), so {@code reindex} can rebuild CDC documents without the database.
 * A truncate deletes every document of the source, or is dead-lettered when the source says so. Unreadable records go
 * to the dead-letter sink keyed by their original key bytes, and the stream goes on.
 *
 * <p>Both outputs are written in the transaction that consumes the input (exactly_once_v2), so the captured topic
 * never holds a change the ingest did not take, nor misses one it took.
 */
public final class CdcIntake implements Processor<byte[], byte[], Object, SpecificRecord> {

    private final CdcSource source;
    private final CdcChangeReader reader;
    private final ChangeValidator validator;
    private final RejectedRecords rejected;
    private final String capturedStoreName;
    private final String indexerChild;
    private final String capturedChild;
    private final String deadLettersChild;
    private ProcessorContext<Object, SpecificRecord> context;
    private CapturedDocuments captured;

    /**
     * @param capturedChild the captured-documents sink, or null to keep no replayable copy (tests of the mapping)
     */
    public CdcIntake(CdcSource source, CdcChangeReader reader, ChangeValidator validator, RejectedRecords rejected,
                     String capturedStoreName, String indexerChild, String capturedChild, String deadLettersChild) {
        this.source = source;
        this.reader = reader;
        this.validator = validator;
        this.rejected = rejected;
        this.capturedStoreName = capturedStoreName;
        this.indexerChild = indexerChild;
        this.capturedChild = capturedChild;
        this.deadLettersChild = deadLettersChild;
    }

    @Override
    public void init(ProcessorContext<Object, SpecificRecord> context) {
        this.context = context;
        this.captured = new CapturedDocuments(context.getStateStore(capturedStoreName));
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        CdcChangeReader.Event event;
        try {
            event = reader.readEvent(topic, record.key(), record.value(), record.timestamp());
            if (event instanceof CdcChangeReader.Truncate && source.truncate() == TruncatePolicy.DEAD_LETTER) {
                throw new RejectedRecordException(RejectReason.UNSUPPORTED_OPERATION, null, "source "
                        + source.name() + ": TRUNCATE of the table; the source's truncate policy is dead-letter, so "
                        + "its documents were left in the index: delete them explicitly (or set truncate=delete)");
            }
            if (event instanceof CdcChangeReader.RowChange row && row.change().change() != null) {
                validator.check(row.change().change());
            }
        } catch (RejectedRecordException rejection) {
            context.forward(new Record<Object, SpecificRecord>(record.key(),
                    rejected.deadLetter(context, record, rejection), record.timestamp()), deadLettersChild);
            return;
        }
        if (event instanceof CdcChangeReader.RowChange row) {
            apply(row.change(), record.timestamp());
        } else {
            for (String documentId : captured.truncate(source.name())) {
                // a version-less delete: the indexer deletes whatever the document is at its latest version
                forward(documentId, null, record.timestamp(), indexerChild);
                forwardCaptured(documentId, null, record.timestamp());
            }
        }
    }

    private void apply(MappedChange mapped, long timestamp) {
        boolean news = captured.record(source.name(), mapped);
        forward(mapped.documentId(), mapped.change(), timestamp, indexerChild);
        if (news) {
            DocumentChange change = mapped.change();
            boolean deleted = change == null || change.getOperation() == Operation.DELETE;
            forwardCaptured(mapped.documentId(), deleted ? null : change, timestamp);
        }
    }

    private void forwardCaptured(String documentId, DocumentChange state, long timestamp) {
        if (capturedChild != null) {
            forward(documentId, state, timestamp, capturedChild);
        }
    }

    private void forward(String documentId, DocumentChange change, long timestamp, String child) {
        context.forward(new Record<Object, SpecificRecord>(documentId, change, timestamp), child);
    }
}
