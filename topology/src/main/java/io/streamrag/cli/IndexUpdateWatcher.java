package io.streamrag.cli;

import io.streamrag.contracts.IndexUpdate;
import io.streamrag.qa.freshness.ConsistencyToken;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code load --wait}: follows the index-updates topic from where it ended before the documents were sent (so no
 * update of them can be missed, and nothing older is read) until every version of a consistency token is applied.
 * No consumer group: nothing is committed or left behind on the broker.
 */
final class IndexUpdateWatcher implements AutoCloseable {

    private final KafkaConsumer<String, IndexUpdate> consumer;
    private final Map<String, Long> applied = new HashMap<>();

    private IndexUpdateWatcher(KafkaConsumer<String, IndexUpdate> consumer) {
        this.consumer = consumer;
    }

    /** Opens the watcher at the topic's current end; call before sending the writes it will wait for. */
    static IndexUpdateWatcher openAtEnd(KafkaConnectionOptions connection, String topic, Duration timeout) {
        Map<String, Object> config = new HashMap<>(connection.consumerConfig(timeout));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the ingest writes index updates in its exactly-once transactions: an aborted one was never applied
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streamrag-cli-load-wait");
        KafkaConsumer<String, IndexUpdate> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                CliSerdes.valueSerde(IndexUpdate.class, connection).deserializer());
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("index-updates topic '" + topic + "' does not exist at "
                        + connection.bootstrapServers() + ": is the ingest role running?");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToEnd(assigned);
            for (TopicPartition partition : assigned) {
                consumer.position(partition, timeout); // resolve now, before the writes go out
            }
            return new IndexUpdateWatcher(consumer);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Waits until the token is applied or the timeout passes; returns what is still missing (empty: all applied). */
    List<String> await(ConsistencyToken token, Duration timeout) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        List<String> missing = token.missing(applied::get);
        while (!missing.isEmpty() && System.nanoTime() < giveUpAt) {
            long leftMs = Math.max(1, (giveUpAt - System.nanoTime()) / 1_000_000);
            for (ConsumerRecord<String, IndexUpdate> record : consumer.poll(Duration.ofMillis(Math.min(leftMs, 200)))) {
                IndexUpdate update = record.value();
                if (update != null) {
                    applied.merge(update.getDocumentId(), update.getVersion(), Math::max);
                }
            }
            missing = token.missing(applied::get);
        }
        return missing;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
