package io.streamrag.qa;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.qa.testing.QaTestBed;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two QA instances (separate Streams runtimes, state directories and Qdrant clients, one JVM) on six partitions of
 * the real broker, sharing one Qdrant (the gRPC double), while a client asks 1,000 questions; one instance dies
 * with questions buffered in its batch. Every question must still get exactly one committed answer.
 *
 * <p>The death: the instance's embedder throws an {@link Error} (as an out-of-memory would) in the middle of a
 * batch; the stream thread dies, the client shuts down without committing the open transaction, and it is closed
 * without leaving the group, so its partitions move only after {@code session.timeout.ms} (6 s here), as after a
 * kill -9. Extractive answers and the bag-of-words embedder keep it quick: the point is Streams semantics.
 */
class ScaleOutQaIT {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutQaIT.class);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://scale-out-qa-it";
    private static final int PARTITIONS = 6;
    private static final int QUESTIONS = 1_000;
    private static final int PASSAGES = 40;

    @TempDir
    Path temp;

    @Test
    void aQaInstanceDyingWithQuestionsBufferedLeavesExactlyOneCommittedAnswerPerQuestion() throws Exception {
        String prefix = KAFKA.uniqueTopic("scale-qa") + "-";
        QaSettings settings = AppConfig.defaults().qa()
                .withTopics(prefix + "questions", prefix + "answers", prefix + "dead-letters")
                .withRetrieval(3, 10, -1.0) // every question finds passages: each answer is OK
                .withBatching(32, Duration.ofMillis(200)) // questions wait in the buffer when the instance dies
                .withDefaultDeadline(Duration.ofMinutes(2));
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(settings.questionsTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.answersTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.deadLetterTopic(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(128);
        CrashingEmbedder doomedEmbedder = new CrashingEmbedder(embedder);
        List<KafkaStreams> running = new ArrayList<>();
        List<VectorStore> clients = new ArrayList<>();
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
            VectorStore loader = client(qdrant, clients);
            loader.ensureCollection(embedder.dimension());
            for (int i = 0; i < PASSAGES; i++) {
                String text = "Passage " + i + " tells about topic " + i + " and the river number " + i + ".";
                // Qdrant point ids are UUIDs
                String chunkId = UUID.nameUUIDFromBytes(("doc-" + i + "#0").getBytes(StandardCharsets.UTF_8))
                        .toString();
                loader.replaceDocument("doc-" + i, List.of(new StoredChunk(chunkId, "doc-" + i, 0, 1,
                        "Title " + i, text, null, Map.of(), embedder.embed(List.of(text)).get(0))));
            }
            loader.flush();

            KafkaStreams doomed = start(settings, "a", doomedEmbedder, client(qdrant, clients), running);
            start(settings, "b", embedder, client(qdrant, clients), running);
            for (KafkaStreams streams : running) {
                awaitState(streams, KafkaStreams.State.RUNNING);
            }

            Map<String, Integer> answers = new HashMap<>();
            List<String> errors = new ArrayList<>();
            long killedAt;
            long longestGapAfterKill = 0;
            try (KafkaProducer<String, Question> producer = producer();
                 KafkaConsumer<String, Answer> reader = answersReader(settings.answersTopic())) {
                ask(producer, settings, 0, QUESTIONS / 2);
                awaitAnswers(reader, answers, errors, QUESTIONS / 4);
                // (c) the instance dies flushing its next batch: those questions and the ones behind them are
                // buffered or in flight in it, uncommitted
                doomedEmbedder.crashOnNextCall();
                ask(producer, settings, QUESTIONS / 2, QUESTIONS);
                awaitState(doomed, KafkaStreams.State.ERROR);
                killedAt = System.nanoTime();
                doomed.close(Duration.ofSeconds(10)); // no LEAVE_GROUP, as a killed process
                running.remove(doomed);

                long lastAnswer = killedAt;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (answers.size() < QUESTIONS) {
                    assertThat(System.nanoTime()).as("answers for all questions; %d of %d", answers.size(),
                            QUESTIONS).isLessThan(deadline);
                    if (pollAnswers(reader, answers, errors) > 0) {
                        long now = System.nanoTime();
                        longestGapAfterKill = Math.max(longestGapAfterKill, now - lastAnswer);
                        lastAnswer = now;
                    }
                }
                // a while more, so a duplicate committed late would still show
                for (int i = 0; i < 10; i++) {
                    pollAnswers(reader, answers, errors);
                }
            }
            assertThat(doomedEmbedder.crashes()).isEqualTo(1);
            assertThat(errors).as("answers that are not OK").isEmpty();
            assertThat(answers).hasSize(QUESTIONS).allSatisfy((id, count) ->
                    assertThat(count).as("committed answers to %s", id).isEqualTo(1));

            long all = count(settings.answersTopic(), "read_uncommitted");
            long committed = count(settings.answersTopic(), "read_committed");
            assertThat(committed).isEqualTo(QUESTIONS);
            log.info("Rework: {} answers committed, {} written in aborted transactions and recomputed; longest gap"
                    + " between answers after the death: {} ms", committed, all - committed,
                    TimeUnit.NANOSECONDS.toMillis(longestGapAfterKill));
        } finally {
            for (KafkaStreams streams : running) {
                streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(10)));
            }
            for (VectorStore client : clients) {
                client.close();
            }
        }
    }

    private static VectorStore client(QdrantGrpcDouble qdrant, List<VectorStore> clients) {
        VectorStore store = QdrantVectorStore.connect(qdrant.config("scale-out-qa"));
        clients.add(store);
        return store;
    }

    private KafkaStreams start(QaSettings settings, String instance, TextEmbedder embedder, VectorStore store,
                               List<KafkaStreams> running) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.questionsTopic() + "-qa");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state-" + instance).toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // a dead member holds its partitions this long (the broker's minimum)
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        KafkaStreams streams = new KafkaStreams(new QaTopology(settings, QaTestBed.serdes(REGISTRY), embedder, store,
                null, new SimpleMeterRegistry()).build(), props);
        streams.setUncaughtExceptionHandler(exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        streams.start();
        running.add(streams);
        return streams;
    }

    private static void ask(KafkaProducer<String, Question> producer, QaSettings settings, int from, int to) {
        for (int i = from; i < to; i++) {
            String id = "q-" + i;
            Question question = Question.newBuilder().setQuestionId(id)
                    .setText("What does passage " + (i % PASSAGES) + " tell about the river?")
                    .setRequestedAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(settings.questionsTopic(), id, question));
        }
        producer.flush();
    }

    private static KafkaProducer<String, Question> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(),
                QaTestBed.serde(Question.class, REGISTRY).serializer());
    }

    private static KafkaConsumer<String, Answer> answersReader(String topic) {
        KafkaConsumer<String, Answer> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "answers-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), QaTestBed.serde(Answer.class, REGISTRY).deserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void awaitAnswers(KafkaConsumer<String, Answer> reader, Map<String, Integer> answers,
                                     List<String> errors, int atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answers.size() < atLeast) {
            assertThat(System.nanoTime()).as("%d answers, have %d", atLeast, answers.size()).isLessThan(deadline);
            pollAnswers(reader, answers, errors);
        }
    }

    private static int pollAnswers(KafkaConsumer<String, Answer> reader, Map<String, Integer> answers,
                                   List<String> errors) {
        int polled = 0;
        for (ConsumerRecord<String, Answer> record : reader.poll(Duration.ofMillis(50))) {
            polled++;
            answers.merge(record.value().getQuestionId(), 1, Integer::sum);
            if (record.value().getStatus() != AnswerStatus.OK) {
                errors.add(record.value().getQuestionId() + ": " + record.value().getStatus() + " "
                        + record.value().getError());
            }
        }
        return polled;
    }

    private static long count(String topic, String isolation) {
        Map<String, Object> props = KAFKA.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + isolation + "-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
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

    private static void awaitState(KafkaStreams streams, KafkaStreams.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != state) {
            assertThat(System.nanoTime()).as("Streams reaching %s, now %s", state, streams.state())
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The embedder of the instance that dies: armed, its next call throws an {@link Error}, as a crash would. */
    private static final class CrashingEmbedder implements TextEmbedder {

        private final TextEmbedder delegate;
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile int crashes;

        CrashingEmbedder(TextEmbedder delegate) {
            this.delegate = delegate;
        }

        void crashOnNextCall() {
            armed.set(true);
        }

        int crashes() {
            return crashes;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (armed.compareAndSet(true, false)) {
                crashes++;
                throw new Error("simulated crash of the QA instance mid-batch (" + texts.size() + " questions)");
            }
            return delegate.embed(texts);
        }

        @Override
        public String modelName() {
            return delegate.modelName();
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public int maxTokens() {
            return delegate.maxTokens();
        }

        @Override
        public HuggingFaceTokenizer tokenizer() {
            return delegate.tokenizer();
        }

        @Override
        public void close() {
            // the shared delegate is not this instance's to close
        }
    }
}
