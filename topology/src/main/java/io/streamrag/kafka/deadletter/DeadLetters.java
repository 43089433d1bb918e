package io.streamrag.kafka.deadletter;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds {@link DeadLetter}s from a failed record's coordinates, bytes and error. Used by the runtime's exception
 * handlers and by topologies that route failures to the dead-letter topic themselves.
 */
public final class DeadLetters {

    /** The reason kept in a dead letter; longer messages (stack-trace-like payloads) are cut here. */
    static final int MAX_MESSAGE_CHARS = 4000;

    public static final String STAGE_DESERIALIZE = "deserialize";
    public static final String STAGE_SERIALIZE = "serialize";
    public static final String STAGE_PRODUCE = "produce";
    public static final String STAGE_PROCESS = "process";

    private DeadLetters() {
    }

    /** The general form: every field given. {@code documentId} may be null. */
    public static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value,
                                String stage, String documentId, Throwable error, Instant failedAt) {
        return DeadLetter.newBuilder()
                .setTopic(topic == null ? "" : topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key.clone()))
                .setValue(value == null ? null : ByteBuffer.wrap(value.clone()))
                .setStage(stage)
                .setDocumentId(documentId)
                .setErrorClass(error.getClass().getName())
                .setErrorMessage(describe(error))
                .setFailedAt(failedAt)
                .build();
    }

    /** A record as it came from Kafka, e.g. one that could not be deserialised. */
    public static DeadLetter fromConsumerRecord(ConsumerRecord<byte[], byte[]> record, String stage,
                                                Throwable error, Instant failedAt) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                stage, null, error, failedAt);
    }

    /**
     * A record that failed inside the topology, from the handler's context: the coordinates and raw bytes are those
     * of the source record that entered the sub-topology. A {@link RecordFailure} anywhere in the cause chain gives
     * the stage and document id; otherwise the stage is {@code process:<processor name>}.
     */
    public static DeadLetter fromHandlerContext(ErrorHandlerContext context, Throwable error, Instant failedAt) {
        Optional<RecordFailure> failure = recordFailure(error);
        String stage = failure.map(RecordFailure::stage)
                .orElse(STAGE_PROCESS + ":" + context.processorNodeId());
        String documentId = failure.flatMap(RecordFailure::documentId).orElse(null);
        return of(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), stage, documentId, failure.isPresent() ? failure.get() : error, failedAt);
    }

    /**
     * For a processor that catches a failure itself: coordinates from {@code ProcessorContext.recordMetadata()}
     * (absent for punctuation-generated records), bytes re-serialised by the caller or null.
     */
    public static DeadLetter fromRecordMetadata(Optional<RecordMetadata> metadata, byte[] key, byte[] value,
                                                String stage, String documentId, Throwable error, Instant failedAt) {
        return of(metadata.map(RecordMetadata::topic).orElse(""),
                metadata.map(RecordMetadata::partition).orElse(-1),
                metadata.map(RecordMetadata::offset).orElse(-1L),
                key, value, stage, documentId, error, failedAt);
    }

    /** The error and its causes, {@code message; caused by Type: message}, bounded in length. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable cause = error.getCause();
        int depth = 0;
        while (cause != null && cause != error && depth++ < 5) {
            text.append("; caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
            cause = cause.getCause();
        }
        if (text.length() > MAX_MESSAGE_CHARS) {
            text.setLength(MAX_MESSAGE_CHARS - 3);
            text.append("...");
        }
        return text.toString();
    }

    private static Optional<RecordFailure> recordFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RecordFailure failure) {
                return Optional.of(failure);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
