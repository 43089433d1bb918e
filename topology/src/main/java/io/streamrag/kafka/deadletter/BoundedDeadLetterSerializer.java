package io.streamrag.kafka.deadletter;

import java.util.Map;
import java.util.Objects;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Bounds every dead letter ({@link DeadLetterBound}) before serialising it: the one place all dead letters pass,
 * whether a topology routes them to its dead-letter sink or a Streams exception handler writes them.
 */
public final class BoundedDeadLetterSerializer implements Serializer<DeadLetter> {

    private final Serializer<DeadLetter> inner;
    private final DeadLetterBound bound;

    public BoundedDeadLetterSerializer(Serializer<DeadLetter> inner, DeadLetterBound bound) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, DeadLetter letter) {
        return inner.serialize(topic, letter == null ? null : bound.apply(letter));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, DeadLetter letter) {
        return inner.serialize(topic, headers, letter == null ? null : bound.apply(letter));
    }

    @Override
    public void close() {
        inner.close();
    }
}
