package io.streamrag.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.VectorStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** The ingest topology on a real broker, as the integration tests and the benchmark run it. */
public final class IngestStreams {

    private IngestStreams() {
    }

    public static Map<String, Object> serdeConfig(String registryUrl) {
        return Map.of("schema.registry.url", registryUrl);
    }

    public static <T extends SpecificRecord> SpecificAvroSerde<T> serde(Class<T> type, String registryUrl) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig(registryUrl), false);
        return serde;
    }

    public static IngestSerdes serdes(String registryUrl) {
        GenericAvroDeserializer generic = new GenericAvroDeserializer();
        generic.configure(serdeConfig(registryUrl), false);
        return new IngestSerdes(serde(DocumentChange.class, registryUrl), serde(IndexUpdate.class, registryUrl),
                serde(DeadLetter.class, registryUrl), generic);
    }

    /** Builds and starts the ingest topology with exactly_once_v2. */
    public static KafkaStreams start(String bootstrap, String applicationId, Path stateDir, IngestSettings settings,
                                     String registryUrl, TextEmbedder embedder, VectorStore store,
                                     MeterRegistry meters, StreamsUncaughtExceptionHandler handler) {
        return start(bootstrap, applicationId, stateDir, settings, registryUrl, embedder, store, meters, handler,
                Map.of());
    }

    /** As above, with Streams settings of the caller's on top (a client id, another session timeout). */
    public static KafkaStreams start(String bootstrap, String applicationId, Path stateDir, IngestSettings settings,
                                     String registryUrl, TextEmbedder embedder, VectorStore store,
                                     MeterRegistry meters, StreamsUncaughtExceptionHandler handler,
                                     Map<String, Object> overrides) {
        IngestTopology topology = new IngestTopology(settings, serdes(registryUrl), embedder, store, meters,
                Clock.systemUTC());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // the punctuation that ends a batch cannot fire while the thread blocks in poll
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // an instance that died without leaving the group holds its partitions this long (the broker's minimum)
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(topology.build(), props);
        streams.setUncaughtExceptionHandler(handler);
        streams.start();
        return streams;
    }

    public static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Streams not RUNNING after " + timeout + ": " + streams.state());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Closes and leaves the group, so a restarted instance gets the partitions at once. */
    public static void close(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }

    public static KafkaProducer<String, DocumentChange> producer(String bootstrap, String registryUrl) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(),
                serde(DocumentChange.class, registryUrl).serializer());
    }

    /** Reads only committed index updates, from the beginning. */
    public static KafkaConsumer<String, IndexUpdate> updatesConsumer(String bootstrap, String registryUrl,
                                                                     String topic) {
        KafkaConsumer<String, IndexUpdate> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "watch-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), serde(IndexUpdate.class, registryUrl).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
