package io.streamrag.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything on a change topic, read from the start as raw bytes and parsed as Connect JSON, for assertions.
 * Not thread-safe: one test thread reads it.
 */
final class ChangeEventLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record as it is on the topic; {@code value} is null for a tombstone. */
    record ChangeRecord(long offset, JsonNode key, JsonNode value) {

        boolean isTombstone() {
            return value == null;
        }

        /** The row id from the key's payload. */
        String id() {
            return key.path("payload").path("id").asText();
        }

        JsonNode payload() {
            return value.path("payload");
        }

        String op() {
            return isTombstone() ? null : payload().path("op").asText();
        }

        JsonNode before() {
            return payload().path("before");
        }

        JsonNode after() {
            return payload().path("after");
        }

        long lsn() {
            return payload().path("source").path("lsn").asLong();
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ChangeRecord> records = new ArrayList<>();

    ChangeEventLog(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "change-event-log-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Reads until {@code condition} holds for all records read so far, and returns them.
     *
     * @throws AssertionError naming what was read when it does not hold within {@code timeout}
     */
    List<ChangeRecord> awaitUntil(Predicate<List<ChangeRecord>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not on the change topic after " + timeout + ": " + what + "; read "
                        + records.size() + " records: " + records);
            }
            readAvailable(Duration.ofMillis(100));
        }
        return List.copyOf(records);
    }

    /** Reads whatever arrives within {@code wait} and returns all records read so far. */
    List<ChangeRecord> readAvailable(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            records.add(new ChangeRecord(record.offset(), parse(record.key(), record), parse(record.value(), record)));
        }
        return List.copyOf(records);
    }

    /** The records about row {@code id}, in topic order. */
    List<ChangeRecord> of(String id) {
        return records.stream().filter(r -> r.id().equals(id)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }

    private static JsonNode parse(byte[] bytes, ConsumerRecord<?, ?> record) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e);
        }
    }
}
