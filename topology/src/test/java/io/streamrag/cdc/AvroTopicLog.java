package io.streamrag.cdc;

import io.streamrag.serde.SpecificAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything a topology has committed to one of its Avro output topics (read_committed, from the start), decoded
 * with the application's own serde. Not thread-safe: one test thread reads it.
 */
final class AvroTopicLog<T extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<String, T> consumer;
    private final List<T> values = new ArrayList<>();

    AvroTopicLog(String bootstrapServers, String registryUrl, String topic, Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, topic + "-log-" + UUID.randomUUID(),
                // only what the topology's transactions committed, as any downstream reader sees it
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), serde.deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads whatever arrives within {@code wait}; returns how many new values came. */
    int poll(Duration wait) {
        int before = values.size();
        for (ConsumerRecord<String, T> record : consumer.poll(wait)) {
            values.add(record.value());
        }
        return values.size() - before;
    }

    /**
     * Reads until {@code condition} holds for the values read so far.
     *
     * @throws AssertionError naming {@code what} and the values read, when it does not hold within {@code timeout}
     */
    List<T> awaitUntil(Predicate<List<T>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(values)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not on the topic after " + timeout + ": " + what + "; read " + values);
            }
            poll(Duration.ofMillis(50));
        }
        return List.copyOf(values);
    }

    List<T> values() {
        return List.copyOf(values);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
