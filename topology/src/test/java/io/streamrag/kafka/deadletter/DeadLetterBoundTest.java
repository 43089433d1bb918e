package io.streamrag.kafka.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.serde.SpecificAvroSerde;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dead letter of an oversized record keeps the head, the size and a hash, so it can still be written. */
class DeadLetterBoundTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aValueOverTheLimitKeepsItsHeadItsSizeAndItsHash() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        body[0] = 'A';
        DeadLetter letter = DeadLetters.of("docs", 1, 7, "doc-1".getBytes(StandardCharsets.UTF_8), body, "validate",
                "doc-1", new RuntimeException("body-too-long"), NOW);

        DeadLetter bounded = new DeadLetterBound(1024).apply(letter);

        assertThat(bounded.getValue().remaining()).isEqualTo(1024);
        assertThat(bounded.getValue().get(0)).isEqualTo((byte) 'A');
        assertThat(bounded.getValueSize()).isEqualTo(body.length);
        assertThat(bounded.getValueSha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(bounded.getKey()).isEqualTo(ByteBuffer.wrap("doc-1".getBytes(StandardCharsets.UTF_8)));
        assertThat(bounded.getKeySize()).isNull();
        assertThat(bounded.getOffset()).isEqualTo(7);
        assertThat(bounded.getErrorMessage()).isEqualTo("body-too-long");
    }

    @Test
    void aDeadLetterWithinTheLimitIsLeftAsItIs() {
        DeadLetter letter = DeadLetters.of("docs", 0, 1, null, new byte[1024], "validate", null,
                new RuntimeException("x"), NOW);

        assertThat(new DeadLetterBound(1024).apply(letter)).isSameAs(letter);
        assertThat(letter.getValueSize()).isNull();
    }

    @Test
    void theBoundedSerializerWritesADeadLetterUnderTheProducersDefaultRequestSize() {
        SpecificAvroSerde<DeadLetter> serde = new SpecificAvroSerde<>(DeadLetter.class);
        serde.configure(Map.of("schema.registry.url", "mock://dead-letter-bound"), false);
        BoundedDeadLetterSerializer serializer = new BoundedDeadLetterSerializer(serde.serializer(),
                new DeadLetterBound(DeadLetterBound.DEFAULT_MAX_BYTES));
        DeadLetter letter = DeadLetters.of("docs", 0, 1, new byte[300_000], new byte[2_000_000], "validate", null,
                new RuntimeException("big"), NOW);

        byte[] written = serializer.serialize("dead", letter);

        assertThat(written.length).isLessThan(1024 * 1024).isGreaterThan(2 * DeadLetterBound.DEFAULT_MAX_BYTES);
        DeadLetter read = serde.deserializer().deserialize("dead", written);
        assertThat(read.getKeySize()).isEqualTo(300_000L);
        assertThat(read.getValueSize()).isEqualTo(2_000_000L);
        assertThat(read.getValueSha256()).hasSize(64);
    }
}
