package io.streamrag.ingest;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.kafka.deadletter.DeadLetters;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a rejected input record into a {@link DeadLetter} (the application's form: coordinates, original bytes,
 * stage, document id, {@code errorMessage} starting with the reason code) and counts it by reason and stage.
 */
public final class RejectedRecords {

    private final IngestMetrics metrics;

    public RejectedRecords(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    public DeadLetter deadLetter(ProcessorContext<?, ?> context, Record<byte[], byte[]> record,
                                 RejectedRecordException rejection) {
        metrics.deadLetter(rejection.reason());
        return DeadLetters.fromRecordMetadata(context.recordMetadata(), record.key(), record.value(),
                rejection.reason().stage(), rejection.documentId(), rejection,
                Instant.ofEpochMilli(context.currentSystemTimeMs()));
    }
}
