package io.streamrag.cli;

import io.streamrag.contracts.Answer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the answers topic without a consumer group (nothing to commit, nothing left behind on the broker): all
 * partitions assigned, starting at their end or beginning. Positions are resolved at once, so an answer published
 * after {@link #open} returns is never missed.
 */
final class AnswerTopicReader implements AutoCloseable {

    private final KafkaConsumer<String, Answer> consumer;

    private AnswerTopicReader(KafkaConsumer<String, Answer> consumer) {
        this.consumer = consumer;
    }

    /** @param timeout bounds each metadata and position look-up (the command's {@code --timeout}) */
    static AnswerTopicReader open(KafkaConnectionOptions connection, String topic, boolean fromBeginning,
                                  Duration timeout) {
        Map<String, Object> config = new HashMap<>(connection.consumerConfig(timeout));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        // the app may write answers in transactions (exactly-once); never show an aborted one
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "streamrag-cli-answers");
        Serde<Answer> serde = CliSerdes.valueSerde(Answer.class, connection);
        KafkaConsumer<String, Answer> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                serde.deserializer());
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("answers topic '" + topic + "' does not exist at "
                        + connection.bootstrapServers() + ": is the app running?");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            for (TopicPartition partition : assigned) {
                consumer.position(partition, timeout);
            }
            return new AnswerTopicReader(consumer);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    ConsumerRecords<String, Answer> poll(Duration timeout) {
        return consumer.poll(timeout);
    }

    /** Makes a blocked {@link #poll} return with a WakeupException (Ctrl-C). Thread-safe. */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
