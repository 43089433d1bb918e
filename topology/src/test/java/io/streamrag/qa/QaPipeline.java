package io.streamrag.qa;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.VectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The QA topology running in Kafka Streams on a real broker, with a producer for questions and a reader of the
 * answers topic: for the end-to-end test and the benchmark. Topic names are prefixed so several pipelines can share
 * one broker.
 */
public final class QaPipeline implements AutoCloseable {

    private final QaSettings settings;
    private final KafkaStreams streams;
    private final KafkaProducer<String, Question> producer;
    private final KafkaConsumer<String, Answer> answers;
    private final Map<String, Answer> received = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAtNanos = new ConcurrentHashMap<>();

    public QaPipeline(String bootstrapServers, String registryUrl, String prefix, QaSettings settings,
                      TextEmbedder embedder, VectorStore store, TextGenerator generator, MeterRegistry registry,
                      Path stateDir, int partitions) throws InterruptedException, ExecutionException, TimeoutException {
        this(bootstrapServers, registryUrl, prefix, settings, embedder, store, generator, registry, stateDir,
                partitions, null);
    }

    /** @param indexUpdatesTopic with read-your-writes fed by this (existing) index-updates topic; null: without */
    public QaPipeline(String bootstrapServers, String registryUrl, String prefix, QaSettings settings,
                      TextEmbedder embedder, VectorStore store, TextGenerator generator, MeterRegistry registry,
                      Path stateDir, int partitions, String indexUpdatesTopic)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.settings = settings;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            try {
                admin.createTopics(List.of(
                        new NewTopic(settings.questionsTopic(), partitions, (short) 1),
                        new NewTopic(settings.answersTopic(), partitions, (short) 1),
                        new NewTopic(settings.deadLetterTopic(), 1, (short) 1))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a restarted pipeline finds its topics in place
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        }
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
        QaSerdes serdes = new QaSerdes(serde(Question.class, serdeConfig), serde(Answer.class, serdeConfig),
                serde(DeadLetter.class, serdeConfig));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "qa");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        // the batch punctuation can only fire between polls: keep polls short
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        QaTopology topology = new QaTopology(settings, serdes, embedder, store, generator, registry);
        if (indexUpdatesTopic != null) {
            topology.withReadYourWrites(indexUpdatesTopic, serde(IndexUpdate.class, serdeConfig));
        }
        streams = new KafkaStreams(topology.build(), props);

        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        answers = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), serdes.answers().deserializer());
        List<TopicPartition> assigned = answers.partitionsFor(settings.answersTopic()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        answers.assign(assigned);
        answers.seekToBeginning(assigned);

        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serdes.questions().serializer());

        streams.start();
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > giveUp || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("QA streams did not start: " + streams.state());
            }
            Thread.sleep(20);
        }
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type, Map<String, Object> config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(config, false);
        return serde;
    }

    public QaSettings settings() {
        return settings;
    }

    public void ask(Question question) {
        producer.send(new ProducerRecord<>(settings.questionsTopic(), question.getQuestionId(), question));
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Polls answers until every id has one or the timeout passes; calls {@code onAnswer} with each new answer and
     * the System.nanoTime it was read at. Returns the answers by question id (possibly incomplete on timeout).
     */
    public Map<String, Answer> await(Set<String> questionIds, Duration timeout, BiConsumer<Answer, Long> onAnswer) {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!received.keySet().containsAll(questionIds) && System.nanoTime() < giveUp) {
            pollOnce(onAnswer);
        }
        Map<String, Answer> result = new HashMap<>();
        for (String id : questionIds) {
            if (received.containsKey(id)) {
                result.put(id, received.get(id));
            }
        }
        return result;
    }

    /** One poll of the answers topic; for callers that interleave sending and receiving. */
    public void pollOnce(BiConsumer<Answer, Long> onAnswer) {
        for (ConsumerRecord<String, Answer> record : answers.poll(Duration.ofMillis(20))) {
            long now = System.nanoTime();
            if (record.value() != null && received.putIfAbsent(record.value().getQuestionId(), record.value()) == null) {
                receivedAtNanos.put(record.value().getQuestionId(), now);
                if (onAnswer != null) {
                    onAnswer.accept(record.value(), now);
                }
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        answers.close();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }
}
