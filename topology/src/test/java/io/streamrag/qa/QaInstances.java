package io.streamrag.qa;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.qa.testing.QaTestBed;
import io.streamrag.store.VectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Several QA instances of one application on a real broker, each its own Streams runtime, state directory and store
 * client: the rig of the scale-out IT and the scale-out bench. An instance's thread names start with its client id,
 * so its CPU time can be told apart from the others' in one JVM.
 */
public final class QaInstances {

    private final String bootstrapServers;
    private final String registryUrl;
    private final QaSettings settings;
    private final Duration sessionTimeout;

    /**
     * @param sessionTimeout how long a member that died without leaving holds its partitions (6 s is the broker's
     *                       minimum; Kafka's default is 45 s)
     */
    public QaInstances(String bootstrapServers, String registryUrl, QaSettings settings, Duration sessionTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.settings = settings;
        this.sessionTimeout = sessionTimeout;
    }

    /** Creates the questions and answers topics with {@code partitions} each, and a one-partition dead-letter topic. */
    public void createTopics(int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(settings.questionsTopic(), partitions, (short) 1),
                    new NewTopic(settings.answersTopic(), partitions, (short) 1),
                    new NewTopic(settings.deadLetterTopic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    public QaSettings settings() {
        return settings;
    }

    /**
     * Starts one instance under exactly_once_v2; a stream thread that dies takes the whole client down (ERROR), as
     * a crash takes a process.
     */
    public KafkaStreams start(String clientId, Path stateDir, TextEmbedder embedder, VectorStore store) {
        return start(clientId, stateDir, embedder, store, Map.of());
    }

    /** As above, with Streams settings of the caller's on top (e.g. the producers' transaction timeout). */
    public KafkaStreams start(String clientId, Path stateDir, TextEmbedder embedder, VectorStore store,
                              Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.questionsTopic() + "-qa");
        props.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) sessionTimeout.toMillis());
        props.putAll(overrides);
        KafkaStreams streams = new KafkaStreams(new QaTopology(settings, QaTestBed.serdes(registryUrl), embedder,
                store, null, new SimpleMeterRegistry()).build(), props);
        streams.setUncaughtExceptionHandler(exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        streams.start();
        return streams;
    }

    /** Closes as a killed process would end: no commit of what is open, no leaving the group. */
    public static void abandon(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(10));
    }

    /** Closes cleanly and leaves the group, so the partitions move at once. */
    public static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }

    public static void awaitState(KafkaStreams streams, KafkaStreams.State state, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != state) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Streams not " + state + " after " + timeout + ": " + streams.state());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    public KafkaProducer<String, Question> questionProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(),
                QaTestBed.serde(Question.class, registryUrl).serializer());
    }

    /** A reader of committed answers only, from the beginning. */
    public KafkaConsumer<String, Answer> committedAnswers() {
        KafkaConsumer<String, Answer> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "answers-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), QaTestBed.serde(Answer.class, registryUrl).deserializer());
        consumer.subscribe(List.of(settings.answersTopic()));
        return consumer;
    }
}
