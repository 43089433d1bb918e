package io.streamrag.qa;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.qa.extractive.ExtractiveComposer;
import io.streamrag.qa.rag.ConcatComposer;
import io.streamrag.qa.rag.GeneratorSettings;
import io.streamrag.qa.rag.RagInputFormatter;
import io.streamrag.qa.rag.RagSequenceComposer;
import io.streamrag.qa.rag.RagTokenComposer;
import io.streamrag.kafka.RedoCounter;
import io.streamrag.kafka.WorkBudget;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.observability.StreamragMetrics;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.qa.freshness.AnswerFreshnessStamper;
import io.streamrag.qa.freshness.AppliedVersions;
import io.streamrag.qa.freshness.FreshnessGate;
import io.streamrag.qa.freshness.FreshnessStores;
import io.streamrag.store.VectorStore;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * questions -> [await consistency token] -> validate -> micro-batch buffer -> embed -> retrieve -> compose ->
 * [stamp index position] -> answers (+ dead letters); the bracketed steps with read-your-writes on, fed by the
 * {@code IndexUpdate} topic through a global store.
 * The embedder, store and generator are shared by all stream threads; the generator is optional (extractive without).
 */
public final class QaTopology {

    public static final String SOURCE = "questions";
    public static final String PROCESSOR = "answer-questions";
    public static final String BUFFER_STORE = "qa-question-buffer";
    public static final String ANSWERS_SINK = "answers";
    public static final String DEAD_LETTER_SINK = "qa-dead-letters";
    public static final String FRESHNESS_GATE = "await-consistency-token";
    public static final String FRESHNESS_STAMPER = "stamp-index-position";
    public static final String INDEX_UPDATES_SOURCE = "index-updates";
    public static final String APPLIED_VERSIONS_STORE = "qa-applied-versions";
    public static final String WAITING_STORE = "qa-awaiting-writes";
    /**
     * How often questions waiting for their writes are re-checked against the applied versions (a counter read
     * unless something was applied): at most this is added to a waiting question's latency.
     */
    static final Duration FRESHNESS_RECHECK = Duration.ofMillis(10);

    private final QaSettings settings;
    private final QaSerdes serdes;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final TextGenerator generator;
    private final MeterRegistry registry;
    private final WallClock clock;
    private TopicDirectory replyTopics = TopicDirectory.ASSUME_EXISTING;
    private FailureLedger failureLedger = FailureLedger.inMemory(3);
    private String indexUpdatesTopic;
    private Serde<IndexUpdate> indexUpdates;

    /**
     * @param generator the generator, or null for extractive answers
     */
    public QaTopology(QaSettings settings, QaSerdes serdes, TextEmbedder embedder, VectorStore store,
                      TextGenerator generator, MeterRegistry registry) {
        this(settings, serdes, embedder, store, generator, registry, WallClock.system());
    }

    /** With the clock used for arrival times, stage timings and deadlines (tests drive a mock one). */
    public QaTopology(QaSettings settings, QaSerdes serdes, TextEmbedder embedder, VectorStore store,
                      TextGenerator generator, MeterRegistry registry, WallClock clock) {
        this.clock = clock;
        this.settings = settings;
        this.serdes = serdes;
        this.embedder = embedder;
        this.store = store;
        this.generator = generator;
        this.registry = registry;
    }

    /** Where reply topics are looked up before answers are routed to them; by default every topic is taken to exist. */
    public QaTopology withReplyTopicDirectory(TopicDirectory directory) {
        this.replyTopics = directory;
        return this;
    }

    /** Where questions that fail with an Error are counted before quarantine; by default in memory, 3 attempts. */
    public QaTopology withFailureLedger(FailureLedger ledger) {
        this.failureLedger = ledger;
        return this;
    }

    /**
     * Read-your-writes: questions with a consistency token wait until the {@code IndexUpdate} topic shows their
     * writes applied, and answers carry their index position and store age. The QA role always turns it on;
     * without it a question's token is only validated, not awaited.
     */
    public QaTopology withReadYourWrites(String indexUpdatesTopic, Serde<IndexUpdate> indexUpdates) {
        this.indexUpdatesTopic = java.util.Objects.requireNonNull(indexUpdatesTopic, "indexUpdatesTopic");
        this.indexUpdates = java.util.Objects.requireNonNull(indexUpdates, "indexUpdates");
        return this;
    }

    public Topology build() {
        QuestionAnswerer answerer = new QuestionAnswerer(settings, embedder, store, composer());
        QaMetrics metrics = new QaMetrics(registry);
        ReplyTargets replyTargets = new ReplyTargets(settings.answersTopic(), settings.replyTopics(), replyTopics);
        WorkBudget budget = new WorkBudget(settings.batchMaxTokens(), settings.batchTimeBudget());
        RedoCounter redo = new RedoCounter(StreamragMetrics.redoneRecords(registry, "qa"));
        TopicNameExtractor<String, Object> replyTopic = (key, value, context) -> {
            Header replyTo = context.headers().lastHeader(QuestionBatchProcessor.REPLY_TO_HEADER);
            return replyTo == null ? settings.answersTopic() : new String(replyTo.value(), StandardCharsets.UTF_8);
        };

        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), serdes.questions().deserializer(),
                settings.questionsTopic());
        boolean readYourWrites = indexUpdatesTopic != null;
        String questionsParent = SOURCE;
        String answersChild = ANSWERS_SINK;
        FreshnessStores stores = FreshnessStores.named(APPLIED_VERSIONS_STORE, WAITING_STORE);
        if (readYourWrites) {
            topology.addGlobalStore(Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(APPLIED_VERSIONS_STORE), Serdes.String(), indexUpdates)
                            .withLoggingDisabled(),
                    INDEX_UPDATES_SOURCE, Serdes.String().deserializer(), indexUpdates.deserializer(),
                    indexUpdatesTopic, "record-applied-versions", stores::recorder);
            topology.addProcessor(FRESHNESS_GATE, () -> new FreshnessGate(stores, new QuestionValidator(settings),
                    answerer.assembler(), clock, FRESHNESS_RECHECK, PROCESSOR, FRESHNESS_STAMPER,
                    QuestionBatchProcessor.REPLY_TO_HEADER, replyTargets, AppliedVersions.storedIn(store)), SOURCE);
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WAITING_STORE),
                    Serdes.Long(), new PendingQuestionSerde(serdes.questions(), settings.questionsTopic())),
                    FRESHNESS_GATE);
            questionsParent = FRESHNESS_GATE;
            answersChild = FRESHNESS_STAMPER;
        }
        String answersName = answersChild;
        topology.addProcessor(PROCESSOR, () -> new QuestionBatchProcessor(settings, answerer, metrics, clock,
                serdes.questions().serializer(), BUFFER_STORE, answersName, DEAD_LETTER_SINK, replyTargets, budget,
                redo, failureLedger, StreamragMetrics.quarantinedRecords(registry, "qa")), questionsParent);
        // persistent, though small: a topology with a persistent store keeps its Streams process id across restarts,
        // so the transactional ids stay the same and a restart after a crash fences the dead instance's open
        // transaction at once instead of waiting out transaction.timeout.ms before the buffer can be restored
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUFFER_STORE),
                Serdes.Long(), new PendingQuestionSerde(serdes.questions(), settings.questionsTopic())), PROCESSOR);
        if (readYourWrites) {
            topology.addProcessor(FRESHNESS_STAMPER, () -> new AnswerFreshnessStamper(stores, clock, ANSWERS_SINK),
                    PROCESSOR, FRESHNESS_GATE);
        }
        topology.addSink(ANSWERS_SINK, replyTopic, Serdes.String().serializer(), serdes.answers().serializer(),
                readYourWrites ? FRESHNESS_STAMPER : PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, settings.deadLetterTopic(), Serdes.String().serializer(),
                serdes.deadLetters().serializer(), PROCESSOR);
        return topology;
    }

    /** How answers are made: extractive without a generator, else the configured generation mode. */
    AnswerComposer composer() {
        if (generator == null) {
            return new ExtractiveComposer(embedder);
        }
        GenerationSettings defaults = generator.defaultSettings();
        return switch (settings.mode()) {
            case RAG_SEQUENCE -> new RagSequenceComposer(generator,
                    GeneratorSettings.derive(defaults, settings.numBeams(), settings.maxNewTokens(), true),
                    new RagInputFormatter(settings.generatorPrefix()), settings.decoding(),
                    settings.bosTokenId() != null ? settings.bosTokenId() : defaults.forcedBosTokenId());
            case RAG_TOKEN -> new RagTokenComposer(generator,
                    GeneratorSettings.derive(defaults, settings.numBeams(), settings.maxNewTokens(), false),
                    new RagInputFormatter(settings.generatorPrefix()));
            case CONCAT -> new ConcatComposer(generator,
                    GeneratorSettings.derive(defaults, settings.numBeams(), settings.maxNewTokens(), false),
                    new RagInputFormatter(settings.generatorPrefix()));
        };
    }
}
