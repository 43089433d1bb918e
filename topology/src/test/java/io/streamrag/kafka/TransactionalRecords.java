package io.streamrag.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The broker's account of rework on a topic written under exactly-once: records a {@code read_uncommitted} reader
 * sees that a {@code read_committed} one does not were written in transactions that aborted (a dead instance's, a
 * fenced batch) and then redone by whoever took the work over.
 */
public record TransactionalRecords(long committed, long aborted) {

    /** Reads {@code topic} from the beginning twice, until five polls in a row bring nothing. */
    public static TransactionalRecords count(String bootstrapServers, String topic) {
        long all = count(bootstrapServers, topic, "read_uncommitted");
        long committed = count(bootstrapServers, topic, "read_committed");
        return new TransactionalRecords(committed, all - committed);
    }

    private static long count(String bootstrapServers, String topic, String isolation) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "count-" + isolation + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int emptyPolls = 0;
            while (emptyPolls < 5) {
                int polled = consumer.poll(Duration.ofMillis(200)).count();
                records += polled;
                emptyPolls = polled == 0 ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }
}
