package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest topology on the real embedded broker with exactly_once_v2, the real all-MiniLM-L6-v2 embedder and real
 * stores: a scripted history of creates, growing and shrinking updates, deletes, out-of-order and duplicate
 * deliveries, interrupted by failures in the middle of a batch (an instance killed, a thread killed, a Qdrant outage)
 * or by a close while a batch was still buffered, must still leave exactly the newest version of every document in
 * the store, checked point by point.
 */
class IngestRecoveryIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://ingest-recovery-it";
    private static final ChunkingSettings CHUNKING = new ChunkingSettings(48, 8);
    private static final BatchingSettings BATCHING = AppConfig.defaults().ingest().batching()
            .withSize(8, Duration.ofMillis(20)).withMaxEmbedTexts(64);
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

    /** Replaces a dead stream thread after a short pause, as the app should for the ingest role. */
    private static StreamsUncaughtExceptionHandler replaceThread(AtomicInteger deaths) {
        return exception -> {
            deaths.incrementAndGet();
            sleep(200);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }

    @Test
    void aKillMidBatchThenARestartAndAThreadFailureLeaveExactlyTheNewestVersions() throws Exception {
        Topics topics = createTopics("lucene");
        ChangeScript script = ChangeScript.of(24);
        List<DocumentChange> sends = script.sends();
        int half = sends.size() / 2;
        Path index = temp.resolve("lucene");

        // first life: the store fails in the middle of a batch and the instance dies without committing it
        FailingOnceStore store = new FailingOnceStore(LuceneVectorStore.open(index));
        store.ensureCollection(embedder.dimension());
        store.failOnceAtWrite(13);
        KafkaStreams first = IngestStreams.start(KAFKA.bootstrapServers(), topics.applicationId, temp.resolve("s1"),
                settings(topics), REGISTRY, embedder, store, new SimpleMeterRegistry(),
                exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        send(sends.subList(0, half), topics);
        awaitState(first, KafkaStreams.State.ERROR);
        assertThat(store.failures()).isEqualTo(1);
        IngestStreams.close(first);
        store.close();

        // second life, on another machine's empty state directory: the stores come back from their changelogs;
        // one more mid-batch failure kills a thread, which is replaced
        FailingOnceStore reopened = new FailingOnceStore(LuceneVectorStore.open(index));
        reopened.failOnceAtWrite(9);
        AtomicInteger deaths = new AtomicInteger();
        KafkaStreams second = IngestStreams.start(KAFKA.bootstrapServers(), topics.applicationId,
                temp.resolve("s2"), settings(topics), REGISTRY, embedder, reopened, new SimpleMeterRegistry(),
                replaceThread(deaths));
        try {
            send(sends.subList(half, sends.size()), topics);
            awaitNewestVersions(topics, script.winners());
            assertThat(deaths.get()).isEqualTo(1);
            assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
            IndexExpectations.assertIndexHoldsExactly(reopened, script.winners(), chunker(), embedder);
        } finally {
            IngestStreams.close(second);
            reopened.close();
        }
    }

    @Test
    void aBufferStillUnflushedWhenTheInstanceClosesIsAppliedAfterTheRestart() throws Exception {
        Topics topics = createTopics("unflushed");
        ChangeScript script = ChangeScript.of(8);
        try (LuceneVectorStore store = LuceneVectorStore.open(temp.resolve("lucene-unflushed"))) {
            store.ensureCollection(embedder.dimension());
            IngestSettings neverFlushing = AppConfig.defaults().ingest()
                    .withTopics(List.of(topics.changes), topics.updates, topics.deadLetters).withChunking(CHUNKING)
                    .withBatching(AppConfig.defaults().ingest().batching().withSize(10_000, Duration.ofMinutes(10))
                    .withMaxEmbedTexts(64)).withMaxBodyChars(100_000).withCollection("ingest-it")
                    .withCapturedDocumentsTopic(null);
            KafkaStreams first = IngestStreams.start(KAFKA.bootstrapServers(), topics.applicationId,
                    temp.resolve("u1"), neverFlushing, REGISTRY, embedder, store, new SimpleMeterRegistry(),
                    exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            send(script.sends(), topics);
            awaitCommittedInput(topics, script.sends().size());
            assertThat(store.count()).as("nothing flushed before the close").isZero();
            IngestStreams.close(first);

            // the restarted instance (empty state directory) finds the buffer in its changelog and applies it
            KafkaStreams second = IngestStreams.start(KAFKA.bootstrapServers(), topics.applicationId,
                    temp.resolve("u2"), settings(topics), REGISTRY, embedder, store, new SimpleMeterRegistry(),
                    exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
            try {
                awaitNewestVersions(topics, script.winners());
                IndexExpectations.assertIndexHoldsExactly(store, script.winners(), chunker(), embedder);
            } finally {
                IngestStreams.close(second);
            }
        }
    }

    /** Waits until the topology has committed its position past every input record. */
    private static void awaitCommittedInput(Topics topics, long records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            long committed;
            try (var admin = KAFKA.admin()) {
                committed = admin.listConsumerGroupOffsets(topics.applicationId)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(entry -> entry.getKey().topic().equals(topics.changes) && entry.getValue() != null)
                        .mapToLong(entry -> entry.getValue().offset()).sum();
            }
            if (committed >= records) {
                return;
            }
            assertThat(System.nanoTime()).as("input offsets committed, " + committed + " of " + records)
                    .isLessThan(deadline);
            sleep(100);
        }
    }

    @Test
    void aQdrantOutageInTheMiddleOfTheRunIsRiddenOut() throws Exception {
        Topics topics = createTopics("qdrant");
        ChangeScript script = ChangeScript.of(24);
        List<DocumentChange> sends = script.sends();
        int third = sends.size() / 3;
        AtomicInteger deaths = new AtomicInteger();
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start();
             VectorStore store = QdrantVectorStore.connect(qdrant.config("ingest-it"))) {
            store.ensureCollection(embedder.dimension());
            KafkaStreams streams = IngestStreams.start(KAFKA.bootstrapServers(), topics.applicationId,
                    temp.resolve("s"), settings(topics), REGISTRY, embedder, store, new SimpleMeterRegistry(),
                    replaceThread(deaths));
            try {
                send(sends.subList(0, third), topics);
                awaitAnyUpdate(topics);
                qdrant.setAvailable(false);
                send(sends.subList(third, 2 * third), topics);
                long outageStart = System.nanoTime();
                while (deaths.get() == 0 && System.nanoTime() - outageStart < TimeUnit.SECONDS.toNanos(60)) {
                    sleep(100); // until the store adapter gives up and the thread dies
                }
                qdrant.setAvailable(true);
                send(sends.subList(2 * third, sends.size()), topics);

                awaitNewestVersions(topics, script.winners());
                assertThat(deaths.get()).as("stream threads lost to the outage").isPositive();
                assertThat(qdrant.rejectedCalls()).isPositive();
                IndexExpectations.assertIndexHoldsExactly(store, script.winners(), chunker(), embedder);
            } finally {
                IngestStreams.close(streams);
            }
        }
    }

    private static DocumentChunker chunker() {
        return new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), CHUNKING);
    }

    private static IngestSettings settings(Topics topics) {
        return AppConfig.defaults().ingest().withTopics(List.of(topics.changes), topics.updates, topics.deadLetters)
                .withChunking(CHUNKING).withBatching(BATCHING).withMaxBodyChars(100_000).withCollection("ingest-it")
                .withCapturedDocumentsTopic(null);
    }

    private record Topics(String applicationId, String changes, String updates, String deadLetters) {
    }

    private static Topics createTopics(String name) throws Exception {
        Topics topics = new Topics(KAFKA.uniqueTopic("ingest-" + name), KAFKA.uniqueTopic("changes-" + name),
                KAFKA.uniqueTopic("updates-" + name), KAFKA.uniqueTopic("dead-letters-" + name));
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(topics.changes, 2, (short) 1),
                    new NewTopic(topics.updates, 1, (short) 1), new NewTopic(topics.deadLetters, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        return topics;
    }

    private static void send(List<DocumentChange> changes, Topics topics) throws Exception {
        try (KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(KAFKA.bootstrapServers(),
                REGISTRY)) {
            for (DocumentChange change : changes) {
                producer.send(new ProducerRecord<>(topics.changes, change.getDocumentId(), change));
            }
            producer.flush();
        }
    }

    private static void awaitState(KafkaStreams streams, KafkaStreams.State state) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (streams.state() != state) {
            assertThat(System.nanoTime()).as("Streams reaching " + state).isLessThan(deadline);
            sleep(50);
        }
    }

    private static void awaitAnyUpdate(Topics topics) {
        try (KafkaConsumer<String, IndexUpdate> consumer = IngestStreams.updatesConsumer(KAFKA.bootstrapServers(),
                REGISTRY, topics.updates)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                assertThat(System.nanoTime()).as("a first index update").isLessThan(deadline);
            }
        }
    }

    /** Reads committed index updates until every document reported its winning version. */
    private static void awaitNewestVersions(Topics topics, Map<String, DocumentChange> winners) {
        Map<String, Long> seen = new HashMap<>();
        try (KafkaConsumer<String, IndexUpdate> consumer = IngestStreams.updatesConsumer(KAFKA.bootstrapServers(),
                REGISTRY, topics.updates)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!winners.values().stream().allMatch(w -> seen.getOrDefault(w.getDocumentId(), -1L)
                    >= w.getVersion())) {
                assertThat(System.nanoTime()).as("index updates for every document's newest version; seen " + seen)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, IndexUpdate> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.merge(record.key(), record.value().getVersion(), Math::max);
                }
            }
        }
        assertThat(seen).as("no version beyond the script").allSatisfy((id, version) ->
                assertThat(version).isEqualTo(winners.get(id).getVersion()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
