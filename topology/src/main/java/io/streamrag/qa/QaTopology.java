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
import io.streamrag.store.VectorStore;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * questions -> validate -> micro-batch buffer -> embed -> retrieve -> compose -> answers (+ dead letters).
 * The embedder, store and generator are shared by all stream threads; the generator is optional (extractive without).
 */
public final class QaTopology {

    public static final String SOURCE = "questions";
    public static final String PROCESSOR = "answer-questions";
    public static final String BUFFER_STORE = "qa-question-buffer";
    public static final String ANSWERS_SINK = "answers";
    public static final String DEAD_LETTER_SINK = "qa-dead-letters";

    private final QaSettings settings;
    private final QaSerdes serdes;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final TextGenerator generator;
    private final MeterRegistry registry;
    private final WallClock clock;
    private TopicDirectory replyTopics = TopicDirectory.ASSUME_EXISTING;
    private FailureLedger failureLedger = FailureLedger.inMemory(3);

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
        topology.addProcessor(PROCESSOR, () -> new QuestionBatchProcessor(settings, answerer, metrics, clock,
                serdes.questions().serializer(), BUFFER_STORE, ANSWERS_SINK, DEAD_LETTER_SINK, replyTargets, budget,
                redo, failureLedger, StreamragMetrics.quarantinedRecords(registry, "qa")), SOURCE);
        // persistent, though small: a topology with a persistent store keeps its Streams process id across restarts,
        // so the transactional ids stay the same and a restart after a crash fences the dead instance's open
        // transaction at once instead of waiting out transaction.timeout.ms before the buffer can be restored
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUFFER_STORE),
                Serdes.Long(), new PendingQuestionSerde(serdes.questions(), settings.questionsTopic())), PROCESSOR);
        topology.addSink(ANSWERS_SINK, replyTopic, Serdes.String().serializer(), serdes.answers().serializer(),
                PROCESSOR);
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
