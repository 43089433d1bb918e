package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.batch.EmbeddingFingerprints;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.observability.StreamragMetrics;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vector reuse across a crash, on the real embedded broker with exactly_once_v2, the real all-MiniLM-L6-v2 and
 * Lucene: long documents are indexed, then a batch of updates that reuses most vectors (metadata only, one paragraph
 * edited) dies half-written; the store keeps what the dead attempt wrote (the Lucene writer commits on close) while
 * Kafka rolls the batch back. The restarted instance applies the batch again, reusing vectors that the dead attempt itself wrote,
 * then a title change and an inserted paragraph. The store ends with exactly the newest version of every document,
 * every chunk carrying the fingerprint of its own embedding text and the vector of that text.
 */
class ReuseRecoveryIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://reuse-recovery-it";
    private static final ChunkingSettings CHUNKING = new ChunkingSettings(48, 8);
    private static final BatchingSettings BATCHING = AppConfig.defaults().ingest().batching().withSize(8, Duration.ofMillis(20)).withMaxEmbedTexts(64);
    private static final int DOCUMENTS = 4;
    private static TextEmbedder embedder;

    @TempDir
    Path temp;

    @BeforeAll
    static void openEmbedder() throws Exception {
        embedder = Embedders.open("default", EmbedderOptions.defaults()
                .withCacheDirectory(Path.of(System.getProperty("java.io.tmpdir"), "streamrag-it-models"))
                .withMeterRegistry(new SimpleMeterRegistry()));
    }

    @AfterAll
    static void closeEmbedder() {
        if (embedder != null) {
            embedder.close();
        }
    }

    @Test
    void aBatchThatDiesAfterReusingAndHalfWritingIsReappliedToExactlyTheNewestVersions() throws Exception {
        String app = KAFKA.uniqueTopic("reuse-app");
        String changes = KAFKA.uniqueTopic("reuse-changes");
        String updates = KAFKA.uniqueTopic("reuse-updates");
        String deadLetters = KAFKA.uniqueTopic("reuse-dead-letters");
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(changes, 1, (short) 1), new NewTopic(updates, 1, (short) 1),
                    new NewTopic(deadLetters, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        IngestSettings settings = AppConfig.defaults().ingest().withTopics(List.of(changes), updates, deadLetters)
                .withChunking(CHUNKING).withBatching(BATCHING).withMaxBodyChars(100_000).withCollection("reuse-it")
                .withCapturedDocumentsTopic(null);
        Path index = temp.resolve("lucene");
        Map<String, DocumentChange> newest = new LinkedHashMap<>();

        // first life: version 1 of every document is indexed; then a batch of reusing updates dies mid-write
        FailingOnceStore store = new FailingOnceStore(LuceneVectorStore.open(index));
        store.ensureCollection(embedder.dimension());
        SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
        KafkaStreams first = IngestStreams.start(KAFKA.bootstrapServers(), app, temp.resolve("s1"), settings,
                REGISTRY, embedder, store, firstMeters, exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        List<DocumentChange> created = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            created.add(change("doc-" + d, 1, "Atlas " + d, paragraphs(d, 10, -1, false), "draft"));
        }
        send(changes, created);
        created.forEach(change -> newest.put(change.getDocumentId(), change));
        awaitNewestVersions(updates, newest);
        assertThat(store.chunksOf("doc-0")).hasSizeGreaterThanOrEqualTo(10);

        store.failOnceAtWrite(DOCUMENTS / 2);
        List<DocumentChange> reusing = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            reusing.add(d % 2 == 0
                    ? change("doc-" + d, 2, "Atlas " + d, paragraphs(d, 10, -1, false), "published")
                    : change("doc-" + d, 2, "Atlas " + d, paragraphs(d, 10, 4, false), "draft"));
        }
        send(changes, reusing);
        reusing.forEach(change -> newest.put(change.getDocumentId(), change));
        awaitState(first, KafkaStreams.State.ERROR);
        assertThat(store.failures()).isEqualTo(1);
        assertThat(counter(firstMeters, StreamragMetrics.INGEST_CHUNKS_REUSED)).as("the dead batch reused vectors")
                .isPositive();
        IngestStreams.close(first);
        store.close();

        // second life on an empty state directory: the batch is applied again, then titles and insertions follow
        LuceneVectorStore reopened = LuceneVectorStore.open(index);
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        KafkaStreams second = IngestStreams.start(KAFKA.bootstrapServers(), app, temp.resolve("s2"), settings,
                REGISTRY, embedder, reopened, secondMeters, exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        try {
            awaitNewestVersions(updates, newest);
            List<DocumentChange> later = new ArrayList<>();
            later.add(change("doc-0", 3, "Atlas 0, revised", paragraphs(0, 10, -1, false), "published"));
            later.add(change("doc-1", 3, "Atlas 1", paragraphs(1, 10, 4, true), "draft"));
            send(changes, later);
            later.forEach(change -> newest.put(change.getDocumentId(), change));
            awaitNewestVersions(updates, newest);

            DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), CHUNKING);
            IndexExpectations.assertIndexHoldsExactly(reopened, newest, chunker, embedder);
            EmbeddingFingerprints fingerprints = EmbeddingFingerprints.of(embedder);
            for (DocumentChange change : newest.values()) {
                List<Chunk> expected = chunker.chunk(change.getDocumentId(), change.getTitle(), change.getBody());
                List<StoredChunk> stored = reopened.chunksOf(change.getDocumentId());
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(stored.get(i).embeddingFingerprint()).as("fingerprint of chunk %d of %s", i,
                            change.getDocumentId()).isEqualTo(fingerprints.of(expected.get(i).embeddingText()));
                    assertThat(stored.get(i).metadata()).isEqualTo(change.getMetadata());
                }
            }
            double reused = counter(secondMeters, StreamragMetrics.INGEST_CHUNKS_REUSED);
            double embedded = counter(secondMeters, StreamragMetrics.INGEST_CHUNKS_EMBEDDED);
            assertThat(reused).as("the replay and the later updates reused vectors").isGreaterThan(embedded);
        } finally {
            IngestStreams.close(second);
            reopened.close();
        }
    }

    private static double counter(SimpleMeterRegistry meters, String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Ten paragraphs of one document; {@code edited} rewords one of them, {@code insertAtTop} adds a new first one. */
    private static List<String> paragraphs(int document, int count, int edited, boolean insertAtTop) {
        String[] topics = {"harbour", "glacier", "orchard", "violin", "comet", "desert", "lantern", "meadow",
            "engine", "island", "library", "volcano"};
        List<String> paragraphs = new ArrayList<>();
        if (insertAtTop) {
            paragraphs.add("An editor's note opens this version. The sources were checked once more and the dates"
                    + " were corrected where they disagreed.");
        }
        for (int p = 0; p < count; p++) {
            String topic = topics[(p + document) % topics.length];
            String mood = p == edited ? "restless" : "quiet";
            paragraphs.add("The " + topic + " was " + mood + " in the morning of day " + p + ". Visitors from "
                    + "document " + document + " came to see the " + topic + " before noon. Nobody could explain "
                    + "why the " + topic + " mattered so much to them.");
        }
        return paragraphs;
    }

    private static DocumentChange change(String id, long version, String title, List<String> paragraphs,
                                         String status) {
        return DocumentChange.newBuilder()
                .setOperation(version == 1 ? Operation.CREATE : Operation.UPDATE)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(title)
                .setBody(String.join("\n\n", paragraphs))
                .setTenant("acme")
                .setMetadata(Map.of("status", status))
                .setEventTime(Instant.now())
                .build();
    }

    private static void send(String topic, List<DocumentChange> changes) throws Exception {
        try (KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(KAFKA.bootstrapServers(),
                REGISTRY)) {
            for (DocumentChange change : changes) {
                producer.send(new ProducerRecord<>(topic, change.getDocumentId(), change));
            }
            producer.flush();
        }
    }

    private static void awaitState(KafkaStreams streams, KafkaStreams.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (streams.state() != state) {
            assertThat(System.nanoTime()).as("Streams reaching " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Reads committed index updates until every document reported its newest version. */
    private static void awaitNewestVersions(String topic, Map<String, DocumentChange> newest) {
        Map<String, Long> seen = new HashMap<>();
        try (KafkaConsumer<String, IndexUpdate> consumer = IngestStreams.updatesConsumer(KAFKA.bootstrapServers(),
                REGISTRY, topic)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!newest.values().stream().allMatch(w -> seen.getOrDefault(w.getDocumentId(), -1L)
                    >= w.getVersion())) {
                assertThat(System.nanoTime()).as("index updates of every newest version; seen " + seen)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, IndexUpdate> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.merge(record.key(), record.value().getVersion(), Math::max);
                }
            }
        }
    }
}
