package io.streamrag.qa.testing;

import io.streamrag.app.config.AppConfig;

import io.streamrag.store.InMemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.qa.QaSerdes;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.QaTopology;
import io.streamrag.qa.TopicDirectory;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.StoredChunk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A QA topology under TopologyTestDriver with test doubles, a mock wall clock and helpers to tell the story. */
public final class QaTestBed implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    public final QaSettings settings;
    public final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(256);
    public final InMemoryVectorStore store = new InMemoryVectorStore();
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Question> questions;
    private final TestOutputTopic<String, Answer> answers;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    /** Registry wire format against a mock:// scope of this test bed's own. */
    private final QaSerdes serdes = serdes("mock://qa-test-" + UUID.randomUUID());

    /** The index-updates topic of a test bed built with read-your-writes on. */
    public static final String INDEX_UPDATES = "index-updates";
    private TestInputTopic<String, IndexUpdate> indexUpdates;

    public QaTestBed(QaSettings settings, TextGenerator generator) {
        this(settings, generator, false);
    }

    /** @param readYourWrites whether questions' consistency tokens are awaited (fed by {@link #applied}) */
    public QaTestBed(QaSettings settings, TextGenerator generator, boolean readYourWrites) {
        this(settings, generator, TopicDirectory.ASSUME_EXISTING, io.streamrag.kafka.deadletter.FailureLedger.inMemory(3),
                readYourWrites);
    }

    /** With the directory reply topics are looked up in. */
    public QaTestBed(QaSettings settings, TextGenerator generator, TopicDirectory replyTopics) {
        this(settings, generator, replyTopics, io.streamrag.kafka.deadletter.FailureLedger.inMemory(3));
    }

    /** ... and the ledger failing questions are counted in (a shared one outlives the bed, as across restarts). */
    public QaTestBed(QaSettings settings, TextGenerator generator, TopicDirectory replyTopics,
                     io.streamrag.kafka.deadletter.FailureLedger ledger) {
        this(settings, generator, replyTopics, ledger, false);
    }

    private QaTestBed(QaSettings settings, TextGenerator generator, TopicDirectory replyTopics,
                      io.streamrag.kafka.deadletter.FailureLedger ledger, boolean readYourWrites) {
        this.settings = settings;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "qa-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // the question buffer is a persistent store: each bed its own state directory
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG,
                    java.nio.file.Files.createTempDirectory("qa-test-bed").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the topology's clock is the driver's mock wall clock, moved only by advance()
        QaTopology topology = new QaTopology(settings, serdes, embedder, store, generator, registry,
                () -> now().toEpochMilli()).withReplyTopicDirectory(replyTopics).withFailureLedger(ledger);
        Serde<IndexUpdate> indexUpdateSerde = serde(IndexUpdate.class, "mock://qa-test-updates-" + UUID.randomUUID());
        if (readYourWrites) {
            topology.withReadYourWrites(INDEX_UPDATES, indexUpdateSerde);
        }
        driver = new TopologyTestDriver(topology.build(), props, START);
        if (readYourWrites) {
            indexUpdates = driver.createInputTopic(INDEX_UPDATES, Serdes.String().serializer(),
                    indexUpdateSerde.serializer());
        }
        questions = driver.createInputTopic(settings.questionsTopic(), Serdes.String().serializer(),
                serdes.questions().serializer());
        answers = driver.createOutputTopic(settings.answersTopic(), Serdes.String().deserializer(),
                serdes.answers().deserializer());
        deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), Serdes.String().deserializer(),
                serdes.deadLetters().deserializer());
    }

    public static QaSerdes serdes(String registryUrl) {
        return new QaSerdes(serde(Question.class, registryUrl), serde(Answer.class, registryUrl),
                serde(DeadLetter.class, registryUrl));
    }

    public static <T extends SpecificRecord> Serde<T> serde(Class<T> type, String registryUrl) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registryUrl), false);
        return serde;
    }

    /**
     * The components of {@link #settings()} that differ from the production defaults ({@code AppConfig.defaults()});
     * a test checks that nothing else does.
     */
    public static final Set<String> OVERRIDES = Set.of("questionsTopic", "answersTopic", "deadLetterTopic",
            "batchMaxSize", "batchLinger", "scoreThreshold");

    /**
     * The production settings on this bed's topics, with small quick batches (tests move the clock by hand) and no
     * score threshold: the production one is calibrated for the bundled embedder's cosines, not the bag of words'.
     */
    public static QaSettings settings() {
        return AppConfig.defaults().qa().withTopics("questions", "answers", "dead-letters")
                .withBatching(8, Duration.ofMillis(5))
                .withScoreThreshold(0.0);
    }

    public QaTestBed passage(String documentId, String title, String text, String tenant) {
        return passage(documentId, title, text, tenant, Map.of());
    }

    public QaTestBed passage(String documentId, String title, String text, String tenant,
                             Map<String, String> metadata) {
        store.replaceDocument(documentId, List.of(new StoredChunk(documentId + "#0", documentId, 0, 1, title, text,
                tenant, metadata, embedder.vectorOf(title + " " + text))));
        return this;
    }

    public static Question.Builder question(String id, String text) {
        return Question.newBuilder().setQuestionId(id).setText(text).setRequestedAt(START);
    }

    public void ask(Question question) {
        questions.pipeInput(question.getQuestionId(), question, now());
    }

    /** The ingest reports {@code documentId} applied at {@code version} (and, as it would, the new passage). */
    public QaTestBed applied(String documentId, long version, String text) {
        store.replaceDocument(documentId, List.of(new StoredChunk(documentId + "#0", documentId, 0, version,
                documentId, text, null, Map.of(), embedder.vectorOf(documentId + " " + text))));
        indexUpdates.pipeInput(documentId, IndexUpdate.newBuilder().setDocumentId(documentId).setVersion(version)
                .setOperation(Operation.UPDATE).setChunkCount(1).setSourceTime(now()).setAppliedTime(now())
                .build(), now());
        return this;
    }

    public Instant now() {
        return START.plusMillis(elapsedMs);
    }

    private long elapsedMs;

    /** Moves the mock wall clock, firing the batch punctuation as the real clock would. */
    public void advance(Duration duration) {
        elapsedMs += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    public List<Answer> answers() {
        return answers.readValuesToList();
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    public TestOutputTopic<String, Answer> answersTopic(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), serdes.answers().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
