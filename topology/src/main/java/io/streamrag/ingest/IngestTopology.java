package io.streamrag.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.batch.BatchIndexer;
import io.streamrag.ingest.batch.DocumentIndexer;
import io.streamrag.ingest.batch.EmbeddingLane;
import io.streamrag.ingest.batch.StoreCommitHook;
import io.streamrag.ingest.cdc.CdcChangeReader;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcIntake;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.ingest.batch.ChangeQuarantine;
import io.streamrag.kafka.RedoCounter;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.kafka.WorkBudget;
import io.streamrag.observability.StreamragMetrics;
import io.streamrag.store.VectorStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The ingest topology: document changes (Avro events and Debezium CDC topics) are decoded, version-gated, buffered
 * per document, and applied to the vector store in batches; one {@code IndexUpdate} per applied change is emitted
 * and unreadable input goes to the dead-letter topic.
 *
 * <pre>
 * document-changes ──► decode-document-changes ─┐
 * cdc-&lt;name&gt; ──────► map-cdc-&lt;name&gt; ───────────┼──► index-documents ──► index-updates
 *                     [ingest-cdc-documents]    │     [ingest-applied-versions, ingest-pending-changes]
 *                        │  └───────────────────┼──► captured-documents (normalised CDC state, compacted)
 *                        └──────────────────────┴──► dead-letters
 * </pre>
 *
 * <p>Input topics must be keyed so that all changes of a document share a partition (the document id for
 * document-change topics, the table's primary key for CDC topics; Debezium's default). Run it with
 * {@code processing.guarantee=exactly_once_v2}: the stores, outputs and offsets then commit together and a crash
 * replays the open batch idempotently.
 */
public final class IngestTopology {

    public static final String APPLIED_VERSIONS_STORE = "ingest-applied-versions";
    public static final String PENDING_CHANGES_STORE = "ingest-pending-changes";
    /** Per CDC source and document: the newest captured version (see {@code CapturedDocuments}). */
    public static final String CDC_DOCUMENTS_STORE = "ingest-cdc-documents";
    /** Holds nothing: commits the vector store when Kafka Streams commits (see {@link StoreCommitHook}). */
    static final String STORE_COMMIT_HOOK = "ingest-vector-store-commit";
    static final String CAPTURED_DOCUMENTS_SINK = "captured-documents";
    static final String INDEXER = "index-documents";
    static final String INDEX_UPDATES_SINK = "index-updates";
    static final String DEAD_LETTERS_SINK = "dead-letters";

    private final IngestSettings settings;
    private final IngestSerdes serdes;
    private final TextEmbedder embedder;
    private final VectorStore store;
    private final IngestMetrics metrics;
    private final MeterRegistry meters;
    private final Clock clock;
    private FailureLedger failureLedger = FailureLedger.inMemory(3);
    private Function<String, EmbeddingLane> embeddingLanes;

    public IngestTopology(IngestSettings settings, IngestSerdes serdes, TextEmbedder embedder, VectorStore store,
                          MeterRegistry meters, Clock clock) {
        this.settings = settings;
        this.serdes = serdes;
        this.embedder = embedder;
        this.store = store;
        this.metrics = new IngestMetrics(meters);
        this.meters = meters;
        this.clock = clock;
        boolean avroCdc = settings.cdcSources().stream().anyMatch(source -> source.format() == CdcFormat.AVRO);
        if (avroCdc && serdes.avroRecords() == null) {
            throw new IllegalArgumentException("an Avro CDC source needs the generic Avro deserializer");
        }
    }

    /** Where failures of pending changes are counted; by default in memory, 3 attempts. */
    public IngestTopology withFailureLedger(FailureLedger ledger) {
        this.failureLedger = ledger;
        return this;
    }

    /**
     * Where each task embeds its batches (given the lane's thread name). By default a background thread per task
     * with {@code embedOverlap}, the stream thread without. TopologyTestDriver stories pass
     * {@code name -> EmbeddingLane.inline()}: the overlap's bookkeeping runs, every output at a known step.
     */
    public IngestTopology withEmbeddingLanes(Function<String, EmbeddingLane> lanes) {
        this.embeddingLanes = lanes;
        return this;
    }

    public Topology build() {
        Topology topology = new Topology();
        ChangeValidator validator = new ChangeValidator(settings.maxBodyChars());
        RejectedRecords rejected = new RejectedRecords(metrics);
        List<String> readers = new ArrayList<>();

        if (!settings.documentChangeTopics().isEmpty()) {
            topology.addSource("document-changes", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                    settings.documentChangeTopics().toArray(String[]::new));
            ChangeReader reader = new DocumentChangeReader(serdes.documentChanges().deserializer());
            topology.addProcessor("decode-document-changes", () -> new ChangeIntake(reader, validator, rejected,
                    INDEXER, DEAD_LETTERS_SINK), "document-changes");
            readers.add("decode-document-changes");
        }
        List<String> cdcReaders = new ArrayList<>();
        String capturedSink = settings.capturedDocumentsTopic() == null ? null : CAPTURED_DOCUMENTS_SINK;
        for (CdcSource source : settings.cdcSources()) {
            String sourceNode = "cdc-" + source.name();
            String mapper = "map-cdc-" + source.name();
            if (source.topicPattern() != null) {
                topology.addSource(sourceNode, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                        source.topicPattern());
            } else {
                topology.addSource(sourceNode, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                        source.topics().toArray(String[]::new));
            }
            CdcChangeReader reader = new CdcChangeReader(source, serdes.avroRecords());
            topology.addProcessor(mapper, () -> new CdcIntake(source, reader, validator, rejected,
                    CDC_DOCUMENTS_STORE, INDEXER, capturedSink, DEAD_LETTERS_SINK), sourceNode);
            readers.add(mapper);
            cdcReaders.add(mapper);
        }
        if (!cdcReaders.isEmpty()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CDC_DOCUMENTS_STORE),
                    Serdes.String(), Serdes.String()), cdcReaders.toArray(String[]::new));
            if (capturedSink != null) {
                topology.addSink(CAPTURED_DOCUMENTS_SINK, settings.capturedDocumentsTopic(), new StringSerializer(),
                        serdes.documentChanges().serializer(), cdcReaders.toArray(String[]::new));
            }
        }

        DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(),
                settings.chunking());
        // one budget and one redo memory for all stream threads: they share the embedder
        WorkBudget budget = new WorkBudget(settings.batching().maxTokens(), settings.batching().timeBudget());
        RedoCounter redo = new RedoCounter(StreamragMetrics.redoneRecords(meters, "ingest"));
        ChangeQuarantine quarantine = new ChangeQuarantine(failureLedger, serdes.documentChanges().serializer(),
                settings.documentChangeTopics().isEmpty() ? "" : settings.documentChangeTopics().get(0),
                StreamragMetrics.quarantinedRecords(meters, "ingest"), clock);
        Function<String, EmbeddingLane> lanes = embeddingLanes != null ? embeddingLanes
                : settings.batching().embedOverlap() ? EmbeddingLane::background : name -> EmbeddingLane.inline();
        topology.addProcessor(INDEXER, () -> new DocumentIndexer(APPLIED_VERSIONS_STORE, PENDING_CHANGES_STORE,
                settings.batching(), new BatchIndexer(chunker, embedder, store, settings.batching().maxEmbedTexts(),
                metrics, clock, settings.collection(), settings.reuseVectors()), metrics, budget, redo, quarantine,
                INDEX_UPDATES_SINK, DEAD_LETTERS_SINK, lanes), readers.toArray(String[]::new));
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(APPLIED_VERSIONS_STORE),
                Serdes.String(), serdes.indexUpdates()), INDEXER);
        // the buffer is small and rewritten all the time: in memory, restored from its changelog after a crash
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PENDING_CHANGES_STORE),
                Serdes.String(), serdes.documentChanges()), INDEXER);
        topology.addStateStore(StoreCommitHook.builder(STORE_COMMIT_HOOK, store), INDEXER);

        topology.addSink(INDEX_UPDATES_SINK, settings.indexUpdatesTopic(), new StringSerializer(),
                serdes.indexUpdates().serializer(), INDEXER);
        List<String> failing = new ArrayList<>(readers);
        failing.add(INDEXER);
        topology.addSink(DEAD_LETTERS_SINK, settings.deadLetterTopic(), new ByteArraySerializer(),
                serdes.deadLetters().serializer(), failing.toArray(String[]::new));
        return topology;
    }
}
