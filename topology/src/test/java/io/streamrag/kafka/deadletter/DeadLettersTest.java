package io.streamrag.kafka.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

    @Test
    void keepsCoordinatesBytesAndReasonOfAnUndeserialisableRecord() {
        byte[] key = "doc-7".getBytes(StandardCharsets.UTF_8);
        byte[] value = {0, 0, 0, 0, 42, 1, 2};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("streamrag.documents", 2, 1234L, key, value);

        DeadLetter letter = DeadLetters.fromConsumerRecord(record, DeadLetters.STAGE_DESERIALIZE,
                new IllegalArgumentException("unknown schema id 42"), NOW);

        assertThat(letter.getTopic()).isEqualTo("streamrag.documents");
        assertThat(letter.getPartition()).isEqualTo(2);
        assertThat(letter.getOffset()).isEqualTo(1234L);
        assertThat(bytes(letter.getKey())).isEqualTo(key);
        assertThat(bytes(letter.getValue())).isEqualTo(value);
        assertThat(letter.getStage()).isEqualTo("deserialize");
        assertThat(letter.getDocumentId()).isNull();
        assertThat(letter.getErrorClass()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(letter.getErrorMessage()).isEqualTo("unknown schema id 42");
        assertThat(letter.getFailedAt()).isEqualTo(NOW);
    }

    @Test
    void takesStageAndDocumentIdFromARecordFailureAnywhereInTheCauseChain() {
        RecordFailure failure = new RecordFailure("embed", "doc-9", "embedding failed",
                new IOException("model file truncated"));
        RuntimeException wrapped = new RuntimeException("processor threw", failure);

        DeadLetter letter = DeadLetters.fromHandlerContext(context("chunker"), wrapped, NOW);

        assertThat(letter.getStage()).isEqualTo("embed");
        assertThat(letter.getDocumentId()).isEqualTo("doc-9");
        assertThat(letter.getErrorClass()).isEqualTo(RecordFailure.class.getName());
        assertThat(letter.getErrorMessage())
                .isEqualTo("embedding failed; caused by java.io.IOException: model file truncated");
        assertThat(letter.getTopic()).isEqualTo("in");
        assertThat(letter.getPartition()).isEqualTo(1);
        assertThat(letter.getOffset()).isEqualTo(77L);
        assertThat(bytes(letter.getValue())).isEqualTo("raw-value".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesTheProcessorWhenTheExceptionSaysNothingAboutTheStage() {
        DeadLetter letter = DeadLetters.fromHandlerContext(context("upper-case"),
                new NullPointerException("text"), NOW);

        assertThat(letter.getStage()).isEqualTo("process:upper-case");
        assertThat(letter.getErrorClass()).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void boundsTheReasonAndCopesWithRecordsWithoutMetadataOrBytes() {
        String huge = "x".repeat(DeadLetters.MAX_MESSAGE_CHARS * 2);

        DeadLetter letter = DeadLetters.fromRecordMetadata(Optional.empty(), null, null, "answer", "q-1",
                new IllegalStateException(huge), NOW);

        assertThat(letter.getErrorMessage()).hasSize(DeadLetters.MAX_MESSAGE_CHARS).endsWith("...");
        assertThat(letter.getTopic()).isEmpty();
        assertThat(letter.getPartition()).isEqualTo(-1);
        assertThat(letter.getOffset()).isEqualTo(-1L);
        assertThat(letter.getKey()).isNull();
        assertThat(letter.getValue()).isNull();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static ErrorHandlerContext context(String processor) {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "in"; }
            @Override public int partition() { return 1; }
            @Override public long offset() { return 77L; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return processor; }
            @Override public TaskId taskId() { return new TaskId(0, 1); }
            @Override public long timestamp() { return 0L; }
            @Override public byte[] sourceRawKey() { return "raw-key".getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] sourceRawValue() { return "raw-value".getBytes(StandardCharsets.UTF_8); }
        };
    }
}
