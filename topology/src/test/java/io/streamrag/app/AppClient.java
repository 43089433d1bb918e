package io.streamrag.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a user of a running app does, for the integration tests: write documents and questions in the registry wire
 * format, read committed (or, to see aborted work too, uncommitted) records of an output topic from its start.
 */
final class AppClient {

    private final Map<String, Object> kafka;
    private final Map<String, Object> serdes;

    AppClient(Map<String, Object> kafkaClientConfig, Map<String, Object> serdeConfig) {
        this.kafka = Map.copyOf(kafkaClientConfig);
        this.serdes = Map.copyOf(serdeConfig);
    }

    static DocumentChange document(String id, long version, String body) {
        return DocumentChange.newBuilder().setOperation(version == 1 ? Operation.CREATE : Operation.UPDATE)
                .setDocumentId(id).setVersion(version).setTitle("Title of " + id).setBody(body)
                .setEventTime(Instant.now()).build();
    }

    static Question question(String id, String text) {
        return Question.newBuilder().setQuestionId(id).setText(text).setRequestedAt(Instant.now()).build();
    }

    void send(String topic, String key, SpecificRecord value) {
        sendRaw(topic, key, serializer(value).serialize(topic, value));
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> org.apache.kafka.common.serialization.Serializer<T> serializer(T value) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>((Class<T>) value.getClass());
        serde.configure(serdes, false);
        return serde.serializer();
    }

    void sendRaw(String topic, String key, byte[] value) {
        Map<String, Object> props = new java.util.HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdes, false);
        return serde.deserializer();
    }

    /** Committed records from the start until {@code done} holds for what was read (or the timeout), plus one poll. */
    <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(String topic, Class<T> type,
                                                                    Predicate<List<ConsumerRecord<String, T>>> done,
                                                                    Duration timeout) {
        return read(topic, type, done, timeout, "read_committed");
    }

    <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(String topic, Class<T> type,
                                                                    Predicate<List<ConsumerRecord<String, T>>> done,
                                                                    Duration timeout, String isolation) {
        Map<String, Object> props = new java.util.HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<String, T>> records = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                deserializer(type))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }
}
