package io.streamrag.ingest;

import io.streamrag.contracts.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Turns a rejected input record into a {@link DeadLetter} with its coordinates and original bytes, and counts it. */
public final class DeadLetters {

    private final IngestMetrics metrics;

    public DeadLetters(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    public DeadLetter of(ProcessorContext<?, ?> context, Record<byte[], byte[]> record,
                         RejectedRecordException rejection) {
        metrics.deadLetter(rejection.reason());
        RecordMetadata source = context.recordMetadata().orElse(null);
        Throwable cause = rejection.getCause();
        String message = cause == null ? rejection.getMessage() : rejection.getMessage() + ": " + cause;
        return DeadLetter.newBuilder()
                .setTopic(source == null ? "" : source.topic())
                .setPartition(source == null ? -1 : source.partition())
                .setOffset(source == null ? -1L : source.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setStage(rejection.reason().stage())
                .setDocumentId(rejection.documentId())
                .setErrorClass(rejection.reason().code())
                .setErrorMessage(message)
                .setFailedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }
}
