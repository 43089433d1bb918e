package io.streamrag.kafka.deadletter;

import java.util.Map;
import java.util.Objects;

import io.streamrag.contracts.DeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.observability.StreamragMetrics;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Turns a {@link DeadLetter} into the record Kafka Streams writes to the dead-letter topic: the failed record's raw
 * key as key (so a replay lands on the same partition), the dead letter as value.
 *
 * <p>Handlers are created by Kafka Streams from class names, so they find the topic and the serde settings in the
 * Streams configuration: {@link #TOPIC_CONFIG}, {@link #ROLE_CONFIG} and the serde's own keys
 * ({@code schema.registry.url}, auth), which {@code StreamsProperties} puts there. Kafka gives handlers no close
 * call, so a router lives as long as its Streams instance.
 */
public final class DeadLetterRouter {

    /** Streams config key holding the dead-letter topic. */
    public static final String TOPIC_CONFIG = "streamrag.dead.letter.topic";
    /** Streams config key holding the role name, for logs. */
    public static final String ROLE_CONFIG = "streamrag.role";

    /**
     * Optional Streams config entry holding a Micrometer {@code MeterRegistry} object (not a class name): dead letters
     * are counted there as {@code streamrag.dead.letters{stage}}.
     */
    public static final String METER_REGISTRY_CONFIG = "streamrag.metrics.registry";

    /** Streams config key holding the byte limit of a dead letter's key and value ({@link DeadLetterBound}). */
    public static final String MAX_BYTES_CONFIG = "streamrag.dead.letter.max.bytes";

    private final String topic;
    private final String role;
    private final Serializer<DeadLetter> serializer;
    private final MeterRegistry meterRegistry;

    public DeadLetterRouter(String topic, String role, Serializer<DeadLetter> serializer, MeterRegistry meterRegistry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.role = role == null ? "" : role;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
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
        Object registry = configs.get(METER_REGISTRY_CONFIG);
        if (registry != null && !(registry instanceof MeterRegistry)) {
            throw new ConfigException(METER_REGISTRY_CONFIG, registry, "must be a MeterRegistry instance");
        }
        Object maxBytes = configs.get(MAX_BYTES_CONFIG);
        DeadLetterBound bound;
        try {
            bound = new DeadLetterBound(maxBytes == null ? DeadLetterBound.DEFAULT_MAX_BYTES
                    : Integer.parseInt(maxBytes.toString()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(MAX_BYTES_CONFIG, maxBytes, "must be a byte count: " + e.getMessage());
        }
        return new DeadLetterRouter(topic.toString(), role == null ? "" : role.toString(), serializer(configs, bound),
                registry == null ? new SimpleMeterRegistry() : (MeterRegistry) registry);
    }

    /**
     * The registry wire format, like every other topic; configured with the registry URL and auth in the map; bounded
     * so that the dead letter of an oversized record can still be written.
     */
    private static Serializer<DeadLetter> serializer(Map<String, ?> configs, DeadLetterBound bound) {
        SpecificAvroSerde<DeadLetter> serde = new SpecificAvroSerde<>(DeadLetter.class);
        serde.configure(configs, false);
        return new BoundedDeadLetterSerializer(serde.serializer(), bound);
    }

    public String topic() {
        return topic;
    }

    public String role() {
        return role;
    }

    /** Counts a dead letter that could not be written (the handlers log it). */
    public void lost(String stage) {
        StreamragMetrics.deadLettersLost(meterRegistry, stage).increment();
    }

    /** The record to write; counts the dead letter by stage. */
    public ProducerRecord<byte[], byte[]> toRecord(DeadLetter deadLetter) {
        StreamragMetrics.deadLetters(meterRegistry, deadLetter.getStage()).increment();
        byte[] key = deadLetter.getKey() == null ? null : bytes(deadLetter.getKey());
        if (key != null && key.length > DeadLetterBound.DEFAULT_MAX_BYTES) {
            // an oversized key would make the dead letter unwritable; its head still spreads by partition
            key = java.util.Arrays.copyOf(key, DeadLetterBound.DEFAULT_MAX_BYTES);
        }
        return new ProducerRecord<>(topic, key, serializer.serialize(topic, deadLetter));
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
