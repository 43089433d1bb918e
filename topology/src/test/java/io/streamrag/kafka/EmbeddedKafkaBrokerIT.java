package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker is real: it serves clients and keeps topics, records and group offsets across a restart. */
class EmbeddedKafkaBrokerIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsTopicsRecordsAndCommittedOffsetsAcrossARestartOnTheSameDirectory() throws Exception {
        String topic = "survivors";
        String firstAddress;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build().start()) {
            firstAddress = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", firstAddress))) {
                new TopicAdmin(admin, Duration.ofSeconds(30))
                        .ensureTopics(List.of(new TopicSpec(topic, 2, Optional.empty(), Map.of())));
            }
            try (KafkaProducer<String, String> producer = producer(firstAddress)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
                }
            }
            // a consumer group reads two records and commits: the committed position must survive as well
            try (KafkaConsumer<String, String> consumer = consumer(firstAddress, "readers")) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> read = pollUntil(consumer, 5);
                assertThat(read).hasSize(5);
                consumer.commitSync();
            }
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.builder(dataDir).build().start()) {
            try (KafkaConsumer<String, String> fresh = consumer(restarted.bootstrapServers(), "newcomers")) {
                fresh.subscribe(List.of(topic));
                List<String> values = pollUntil(fresh, 5).stream().map(ConsumerRecord::value).sorted().toList();
                assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4");
            }
            try (KafkaProducer<String, String> producer = producer(restarted.bootstrapServers())) {
                producer.send(new ProducerRecord<>(topic, "k5", "v5")).get();
            }
            try (KafkaConsumer<String, String> returning = consumer(restarted.bootstrapServers(), "readers")) {
                returning.subscribe(List.of(topic));
                assertThat(pollUntil(returning, 1)).extracting(ConsumerRecord::value).containsExactly("v5");
            }
        }
    }

    @Test
    void refusesASecondStartAndReportsAddressOnlyWhileRunning() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(dataDir).build();
        assertThatThrownBy(broker::bootstrapServers).hasMessageContaining("not running");
        try (broker) {
            broker.start();
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            assertThatThrownBy(broker::start).hasMessageContaining("already running");
        }
        assertThat(broker.isRunning()).isFalse();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        // one more short poll: more records than expected must show up as a failure, not be left unread
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }
}
