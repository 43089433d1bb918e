package io.streamrag.kafka.deadletter;

import java.util.Map;
import java.util.Objects;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Turns a {@link DeadLetter} into the record Kafka Streams writes to the dead-letter topic: the failed record's raw
 * key as key (so a replay lands on the same partition), the dead letter as value.
 *
 * <p>Handlers are created by Kafka Streams from class names, so they find the topic and the serde settings in the
 * Streams configuration: {@link #TOPIC_CONFIG}, {@link #ROLE_CONFIG} and the serde's own keys
 * ({@code schema.registry.url}, auth), which {@code StreamsProperties} puts there.
 */
public final class DeadLetterRouter implements AutoCloseable {

    /** Streams config key holding the dead-letter topic. */
    public static final String TOPIC_CONFIG = "streamrag.dead.letter.topic";
    /** Streams config key holding the role name, for logs. */
    public static final String ROLE_CONFIG = "streamrag.role";
    /**
     * Streams config key naming the {@code Serde} class for dead letters, configured with the same map (registry
     * URL, auth). The default writes the registry wire format like every other topic.
     */
    public static final String SERDE_CONFIG = "streamrag.dead.letter.serde";
    static final String DEFAULT_SERDE = "io.streamrag.serde.SpecificAvroSerde";

    private final String topic;
    private final String role;
    private final Serializer<DeadLetter> serializer;

    public DeadLetterRouter(String topic, String role, Serializer<DeadLetter> serializer) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.role = role == null ? "" : role;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /**
     * From the configuration map a handler receives in {@code configure}.
     *
     * @throws ConfigException when {@link #TOPIC_CONFIG} is missing
     */
    public static DeadLetterRouter fromConfigs(Map<String, ?> configs) {
        Object topic = configs.get(TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(TOPIC_CONFIG, topic, "the dead-letter handlers need the dead-letter topic");
        }
        Object role = configs.get(ROLE_CONFIG);
        return new DeadLetterRouter(topic.toString(), role == null ? "" : role.toString(), serializer(configs));
    }

    @SuppressWarnings("unchecked")
    private static Serializer<DeadLetter> serializer(Map<String, ?> configs) {
        Object serdeClass = configs.get(SERDE_CONFIG);
        Serde<DeadLetter> serde;
        try {
            if (serdeClass instanceof Class<?> type) {
                serde = (Serde<DeadLetter>) Utils.newInstance(type);
            } else {
                serde = Utils.newInstance(serdeClass == null ? DEFAULT_SERDE : serdeClass.toString(), Serde.class);
            }
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new ConfigException(SERDE_CONFIG, serdeClass, "cannot create the dead-letter serde: " + e);
        }
        serde.configure(configs, false);
        return serde.serializer();
    }

    public String topic() {
        return topic;
    }

    public String role() {
        return role;
    }

    public ProducerRecord<byte[], byte[]> toRecord(DeadLetter deadLetter) {
        byte[] key = deadLetter.getKey() == null ? null : bytes(deadLetter.getKey());
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, deadLetter));
    }

    @Override
    public void close() {
        serializer.close();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
