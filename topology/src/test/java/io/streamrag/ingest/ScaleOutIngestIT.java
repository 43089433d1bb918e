package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.store.VectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several ingest instances (separate Streams runtimes and state directories, separate Qdrant clients, one JVM) on
 * six partitions of the real broker, sharing one Qdrant (the gRPC double), while a writer streams creates, updates,
 * deletes, stale and duplicate deliveries over 500 documents: a third instance joins part-way, and one of the first
 * two dies in the middle of a batch. The store must end up holding exactly the writer's final state.
 *
 * <p>The death: the instance's store throws in the middle of a batch, its Streams client shuts down (ERROR) and is
 * closed without leaving the group. Its open transaction is never committed (Streams aborts it; a killed process's
 * would be aborted by the broker on fencing or timeout: the same committed outcome) and its partitions come back to
 * the others only after {@code session.timeout.ms}, as after a kill -9. What a process crash adds on top (the chunks
 * written to Qdrant before the failure stay there) happens here too: the store is not transactional, which is why
 * the topology writes whole documents idempotently.
 *
 * <p>The embedder is the fast bag-of-words stand-in: the point is Streams and store semantics, not model quality.
 */
class ScaleOutIngestIT {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutIngestIT.class);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://scale-out-ingest-it";
    private static final int PARTITIONS = 6;
    private static final int DOCUMENTS = 500;
    private static final ChunkingSettings CHUNKING = new ChunkingSettings(48, 8);
    private static final BatchingSettings BATCHING = AppConfig.defaults().ingest().batching()
            .withSize(16, Duration.ofMillis(20)).withMaxEmbedTexts(64);
    private static final BagOfWordsEmbedder EMBEDDER = new BagOfWordsEmbedder(128);

    @TempDir
    Path temp;

    @Test
    void aJoinAndACrashMidBatchLeaveExactlyTheWritersFinalStateInTheSharedStore() throws Exception {
        String applicationId = KAFKA.uniqueTopic("scale-ingest");
        String changes = KAFKA.uniqueTopic("scale-changes");
        String updates = KAFKA.uniqueTopic("scale-updates");
        String deadLetters = KAFKA.uniqueTopic("scale-dead-letters");
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(changes, PARTITIONS, (short) 1),
                    new NewTopic(updates, 1, (short) 1), new NewTopic(deadLetters, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        IngestSettings settings = AppConfig.defaults().ingest().withTopics(List.of(changes), updates, deadLetters)
                .withChunking(CHUNKING).withBatching(BATCHING).withMaxBodyChars(100_000)
                .withCollection("scale-ingest").withCapturedDocumentsTopic(null);
        ChangeScript script = ChangeScript.of(DOCUMENTS);
        List<DocumentChange> sends = script.sends();
        int third = sends.size() / 3;

        List<KafkaStreams> running = new ArrayList<>();
        List<VectorStore> clients = new ArrayList<>();
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
            String collection = "scale-out";
            VectorStore checker = QdrantVectorStore.connect(qdrant.config(collection));
            clients.add(checker);
            checker.ensureCollection(EMBEDDER.dimension());

            FailingOnceStore doomedStore = new FailingOnceStore(QdrantVectorStore.connect(qdrant.config(collection)));
            clients.add(doomedStore);
            KafkaStreams doomed = start(applicationId, settings, "a", doomedStore, running);
            VectorStore survivorStore = QdrantVectorStore.connect(qdrant.config(collection));
            clients.add(survivorStore);
            start(applicationId, settings, "b", survivorStore, running);
            awaitAllRunning(running);

            send(changes, sends.subList(0, third));
            // (a) a third instance joins while the first third is being applied
            VectorStore joinerStore = QdrantVectorStore.connect(qdrant.config(collection));
            clients.add(joinerStore);
            start(applicationId, settings, "c", joinerStore, running);

            // (b) instance a dies in the middle of a batch of the second third, without committing or leaving
            doomedStore.failOnceAtWrite(5);
            send(changes, sends.subList(third, 2 * third));
            awaitState(doomed, KafkaStreams.State.ERROR);
            doomed.close(Duration.ofSeconds(10)); // no LEAVE_GROUP: the group waits out the session as after a crash
            running.remove(doomed);
            assertThat(doomedStore.failures()).isEqualTo(1);

            send(changes, sends.subList(2 * third, sends.size()));
            awaitNewestVersions(updates, script.winners());

            IndexExpectations.assertIndexHoldsExactly(checker, script.winners(), chunker(), EMBEDDER);
            assertThat(qdrant.points(collection)).as("no stray or duplicate point beyond the expected chunks")
                    .hasSize((int) checker.count());

            UpdateLog log = UpdateLog.read(updates);
            assertThat(log.committed()).as("committed index updates").isPositive();
            ScaleOutIngestIT.log.info("Rework: {} index updates committed, {} written in aborted transactions and"
                    + " redone; {} Qdrant upsert calls for {} changes sent", log.committed(), log.aborted(),
                    qdrant.calls("qdrant.Points/Upsert"), sends.size());
        } finally {
            running.forEach(IngestStreams::close);
            for (VectorStore client : clients) {
                client.close();
            }
        }
    }

    private KafkaStreams start(String applicationId, IngestSettings settings, String instance, VectorStore store,
                               List<KafkaStreams> running) {
        KafkaStreams streams = IngestStreams.start(KAFKA.bootstrapServers(), applicationId,
                temp.resolve("state-" + instance), settings, REGISTRY, EMBEDDER, store, new SimpleMeterRegistry(),
                exception -> StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        running.add(streams);
        return streams;
    }

    private static DocumentChunker chunker() {
        return new DocumentChunker(EMBEDDER.tokenizer(), EMBEDDER.maxTokens(), CHUNKING);
    }

    private static void send(String topic, List<DocumentChange> changes) {
        try (KafkaProducer<String, DocumentChange> producer = IngestStreams.producer(KAFKA.bootstrapServers(),
                REGISTRY)) {
            for (DocumentChange change : changes) {
                producer.send(new ProducerRecord<>(topic, change.getDocumentId(), change));
            }
            producer.flush();
        }
    }

    private static void awaitAllRunning(List<KafkaStreams> running) throws InterruptedException {
        for (KafkaStreams streams : running) {
            IngestStreams.awaitRunning(streams, Duration.ofSeconds(60));
        }
    }

    private static void awaitState(KafkaStreams streams, KafkaStreams.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != state) {
            assertThat(System.nanoTime()).as("Streams reaching " + state + ", now " + streams.state())
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Reads committed index updates until every document reported its winning version, and none beyond. */
    private static void awaitNewestVersions(String updates, Map<String, DocumentChange> winners) {
        Map<String, Long> seen = new HashMap<>();
        try (KafkaConsumer<String, IndexUpdate> consumer = IngestStreams.updatesConsumer(KAFKA.bootstrapServers(),
                REGISTRY, updates)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!winners.values().stream().allMatch(w -> seen.getOrDefault(w.getDocumentId(), -1L)
                    >= w.getVersion())) {
                assertThat(System.nanoTime()).as("index updates for every document's newest version; %d of %d",
                        seen.size(), winners.size()).isLessThan(deadline);
                for (ConsumerRecord<String, IndexUpdate> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.merge(record.key(), record.value().getVersion(), Math::max);
                }
            }
        }
        assertThat(seen).as("no version beyond the script").allSatisfy((id, version) ->
                assertThat(version).isEqualTo(winners.get(id).getVersion()));
    }

    /**
     * The broker's account of rework: records a read_uncommitted reader sees that a read_committed one does not were
     * written in transactions that aborted (the dead instance's, and any fenced batch) and then redone.
     */
    record UpdateLog(long committed, long aborted) {

        static UpdateLog read(String topic) {
            long all = count(topic, "read_uncommitted");
            long committed = count(topic, "read_committed");
            return new UpdateLog(committed, all - committed);
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
    }
}
