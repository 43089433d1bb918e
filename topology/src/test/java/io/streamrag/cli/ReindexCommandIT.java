package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantCollections;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamrag reindex} on the real embedded broker, against the Qdrant gRPC double (driven by the real
 * QdrantClient) and the embedded Lucene store: a documents topic with creates, an update, a DELETE, a tombstone, an
 * out-of-order stale version and an aborted transaction must leave exactly the newest chunks of the live documents in
 * the new model's collection, and the alias must move only when that is safe.
 */
class ReindexCommandIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://reindex-it";
    private static final String ALIAS = "docs";
    private static final ChunkingSettings CHUNKING = new ChunkingSettings(16, 4);
    private static final String OLD_COLLECTION = ALIAS + "_old_model_" + BagOfWordsEmbedder.DIMENSION;
    private static final String NEW_COLLECTION = QdrantCollections.collectionName(ALIAS, "bag-of-words-test",
            BagOfWordsEmbedder.DIMENSION);

    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(128);

    @TempDir
    Path temp;

    @Test
    void qdrantGetsExactlyTheLiveDocumentsAndTheAliasMovesWhileTheOldCollectionIsKept() throws Exception {
        Fixture fixture = produceHistory("keep");
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
            List<String> oldPoints = seedOldCollection(qdrant);

            Run run = reindex(qdrant, fixture, List.of());

            assertThat(run.code).as(run.err).isZero();
            assertThat(qdrant.aliases()).containsEntry(ALIAS, NEW_COLLECTION);
            assertThat(qdrant.points(OLD_COLLECTION)).extracting(QdrantGrpcDouble.Point::id)
                    .as("old collection untouched").containsExactlyInAnyOrderElementsOf(oldPoints);
            try (VectorStore written = QdrantVectorStore.connect(qdrant.config(NEW_COLLECTION))) {
                assertHoldsExactly(written, fixture.winners);
            }
            assertThat(run.out).contains("was " + OLD_COLLECTION).contains("Kept " + OLD_COLLECTION)
                    .contains("Indexed 3 documents").contains("from 10 records").contains("2 deleted")
                    .as("the stale e v2 and the undecodable record").contains("2 skipped");
        }
    }

    @Test
    void deleteOldRemovesThePreviousCollectionAfterTheSwitch() throws Exception {
        Fixture fixture = produceHistory("delete-old");
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
            seedOldCollection(qdrant);

            Run run = reindex(qdrant, fixture, List.of("--delete-old"));

            assertThat(run.code).as(run.err).isZero();
            assertThat(qdrant.aliases()).containsEntry(ALIAS, NEW_COLLECTION);
            assertThat(qdrant.collections()).contains(NEW_COLLECTION).doesNotContain(OLD_COLLECTION);
            try (VectorStore written = QdrantVectorStore.connect(qdrant.config(NEW_COLLECTION))) {
                assertHoldsExactly(written, fixture.winners);
            }
        }
    }

    @Test
    void aRunningIngestGroupKeepsTheAliasWhereItWas() throws Exception {
        Fixture fixture = produceHistory("ingest-running");
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start();
             KafkaConsumer<String, String> ingestMember = joinGroup(fixture)) {
            seedOldCollection(qdrant);

            Run run = reindex(qdrant, fixture, List.of("--delete-old"));

            assertThat(run.code).isEqualTo(1);
            assertThat(run.err).contains("Not switching alias " + ALIAS).contains("running member");
            assertThat(qdrant.aliases()).containsEntry(ALIAS, OLD_COLLECTION);
            assertThat(qdrant.collections()).contains(OLD_COLLECTION, NEW_COLLECTION);
        }
    }

    @Test
    void anIngestThatCommittedPastTheSnapshotKeepsTheAliasWhereItWas() throws Exception {
        Fixture fixture = produceHistory("ingest-ahead");
        try (var admin = KAFKA.admin()) {
            // a stopped ingest whose last commit lies beyond what the reindex will read: as if it had applied
            // changes (to the old collection) after the snapshot was taken
            admin.alterConsumerGroupOffsets(fixture.ingestGroup, Map.of(
                    new org.apache.kafka.common.TopicPartition(fixture.topic, 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(1_000)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (QdrantGrpcDouble qdrant = QdrantGrpcDouble.start()) {
            seedOldCollection(qdrant);

            Run run = reindex(qdrant, fixture, List.of());

            assertThat(run.code).isEqualTo(1);
            assertThat(run.err).contains("Not switching alias " + ALIAS).contains("past the reindex snapshot");
            assertThat(qdrant.aliases()).containsEntry(ALIAS, OLD_COLLECTION);
        }
    }

    @Test
    void mainRegistersTheCommandAndItNeedsAnEmbedder() {
        CommandLine main = io.streamrag.app.Main.commandLine();
        assertThat(main.getSubcommands()).containsKey("reindex");
        StringWriter err = new StringWriter();
        main.setErr(new PrintWriter(err, true));
        assertThat(main.execute("reindex")).isEqualTo(2);
        assertThat(err.toString()).contains("--embedder");
    }

    @Test
    void theEmbeddedStoreGetsTheNewModelsDirectory() throws Exception {
        Fixture fixture = produceHistory("lucene");
        Path stores = temp.resolve("stores");
        List<String> args = new ArrayList<>(common(fixture));
        args.addAll(List.of("--set", "store.type=embedded", "--set", "store.embedded.dir=" + stores));

        Run run = execute(args);

        assertThat(run.code).as(run.err).isZero();
        Path directory = stores.resolve(ALIAS + "_bag-of-words-test");
        assertThat(directory).isDirectory();
        try (LuceneVectorStore store = LuceneVectorStore.open(directory)) {
            assertHoldsExactly(store, fixture.winners);
        }

        Run again = execute(args);
        assertThat(again.code).as("a second run must not write into an existing index").isEqualTo(1);
        assertThat(again.err).contains("exists already");
    }

    /** The winners' chunks, as the ingest's chunker cuts them, with the new embedder's vectors; nothing else. */
    private void assertHoldsExactly(VectorStore store, Map<String, DocumentChange> winners) {
        DocumentChunker chunker = new DocumentChunker(embedder.tokenizer(), embedder.maxTokens(), CHUNKING);
        long expectedPoints = 0;
        for (DocumentChange winner : winners.values()) {
            String id = winner.getDocumentId();
            List<StoredChunk> stored = store.chunksOf(id);
            if (winner.getOperation() == Operation.DELETE) {
                assertThat(stored).as("deleted document %s", id).isEmpty();
                continue;
            }
            List<Chunk> expected = chunker.chunk(id, winner.getTitle(), winner.getBody());
            expectedPoints += expected.size();
            assertThat(stored).as("chunks of %s", id).hasSameSizeAs(expected);
            List<float[]> vectors = embedder.embed(expected.stream().map(Chunk::embeddingText).toList());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(stored.get(i).chunkId()).isEqualTo(expected.get(i).chunkId());
                assertThat(stored.get(i).text()).isEqualTo(expected.get(i).text());
                assertThat(stored.get(i).version()).as("version of %s", id).isEqualTo(winner.getVersion());
                assertThat(stored.get(i).vector()).as("vector of chunk %d of %s", i, id)
                        .containsExactly(vectors.get(i), org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
        assertThat(expectedPoints).as("the fixture has live documents").isPositive();
        assertThat(store.count()).as("no stray points").isEqualTo(expectedPoints);
    }

    /** The old model's collection behind the alias, with one document in it. */
    private static List<String> seedOldCollection(QdrantGrpcDouble qdrant) {
        try (VectorStore old = QdrantVectorStore.connect(qdrant.config(ALIAS).withEmbeddingModel("old-model"))) {
            old.ensureCollection(BagOfWordsEmbedder.DIMENSION);
            float[] vector = new float[BagOfWordsEmbedder.DIMENSION];
            vector[0] = 1;
            old.replaceDocument("legacy", List.of(new StoredChunk(
                    io.streamrag.ingest.chunk.ChunkIds.of("legacy", 0), "legacy", 0, 7, "Legacy",
                    "Embedded by the old model.", "acme", Map.of(), vector)));
        }
        assertThat(qdrant.aliases()).containsEntry(ALIAS, OLD_COLLECTION);
        List<String> ids = qdrant.points(OLD_COLLECTION).stream().map(QdrantGrpcDouble.Point::id).toList();
        assertThat(ids).hasSize(1);
        return ids;
    }

    private Run reindex(QdrantGrpcDouble qdrant, Fixture fixture, List<String> extra) {
        List<String> args = new ArrayList<>(common(fixture));
        args.addAll(List.of("--set", "store.type=qdrant", "--set", "store.qdrant.host=" + qdrant.host(),
                "--set", "store.qdrant.port=" + qdrant.port()));
        args.addAll(extra);
        return execute(args);
    }

    private static List<String> common(Fixture fixture) {
        return List.of("--embedder", "bag-of-words",
                "--batch-size", "2",
                "--set", "kafka.bootstrap.servers=" + KAFKA.bootstrapServers(),
                "--set", "schema.registry.url=" + REGISTRY,
                "--set", "topics.documents=" + fixture.topic,
                "--set", "ingest.application.id=" + fixture.ingestGroup,
                "--set", "ingest.chunk.size.tokens=" + CHUNKING.chunkTokens(),
                "--set", "ingest.chunk.overlap.tokens=" + CHUNKING.overlapTokens(),
                "--set", "store.collection.prefix=" + ALIAS);
    }

    private Run execute(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ReindexCommand((spec, config) -> {
            assertThat(spec).isEqualTo("bag-of-words");
            return new BagOfWordsEmbedder(128);
        }));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int code = command.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }

    private record Fixture(String topic, String ingestGroup, Map<String, DocumentChange> winners) {
    }

    /**
     * a: created. b: created, then updated with a longer body. c: created, then a tombstone. d: created, then a DELETE.
     * e: version 3, then a stale version 2 arriving late. x: bytes that are no Avro record. a's version 9 in an aborted transaction must not count.
     */
    private static Fixture produceHistory(String name) throws Exception {
        String topic = KAFKA.uniqueTopic("documents-" + name);
        try (var admin = KAFKA.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, DocumentChange> winners = new LinkedHashMap<>();
        List<DocumentChange> sends = new ArrayList<>();
        DocumentChange a = upsert("a", 1, "Rivers", "The Nile flows north into the Mediterranean Sea.");
        DocumentChange b2 = upsert("b", 2, "Mountains", "Everest is the highest mountain above sea level. "
                + "K2 is the second highest and far harder to climb. Both lie in Asia, on the borders of Nepal, "
                + "China and Pakistan, and attract climbers every spring.");
        DocumentChange e3 = upsert("e", 3, "Deserts", "The Sahara is the largest hot desert on Earth.");
        sends.add(a);
        sends.add(upsert("b", 1, "Mountains", "Everest is high."));
        sends.add(upsert("c", 1, "Lakes", "Baikal is the deepest lake."));
        sends.add(upsert("d", 1, "Seas", "The Dead Sea is very salty."));
        sends.add(b2);
        sends.add(DocumentChange.newBuilder(upsert("d", 2, "Seas", null)).setOperation(Operation.DELETE)
                .setTitle(null).setBody(null).build());
        sends.add(e3);
        sends.add(upsert("e", 2, "Deserts", "An older text about the Sahara that arrived late."));
        try (KafkaProducer<String, DocumentChange> producer = producer(null)) {
            for (DocumentChange change : sends) {
                producer.send(new ProducerRecord<>(topic, change.getDocumentId(), change));
            }
            producer.send(new ProducerRecord<>(topic, "c", null));
            producer.flush();
        }
        Map<String, Object> raw = new HashMap<>(KAFKA.clientProperties());
        try (KafkaProducer<String, byte[]> garbage = new KafkaProducer<>(raw, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            garbage.send(new ProducerRecord<>(topic, "x", "not an Avro record".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, DocumentChange> transactional = producer("reindex-it-" + name)) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, "a", upsert("a", 9, "Rivers", "Never committed.")));
            transactional.flush();
            transactional.abortTransaction();
        }
        winners.put("a", a);
        winners.put("b", b2);
        winners.put("c", DocumentChange.newBuilder(upsert("c", 1, "Lakes", null)).setOperation(Operation.DELETE)
                .build());
        winners.put("d", DocumentChange.newBuilder(upsert("d", 2, "Seas", null)).setOperation(Operation.DELETE)
                .build());
        winners.put("e", e3);
        return new Fixture(topic, KAFKA.uniqueTopic("ingest-" + name), winners);
    }

    private static DocumentChange upsert(String id, long version, String title, String body) {
        return DocumentChange.newBuilder()
                .setOperation(version == 1 ? Operation.CREATE : Operation.UPDATE)
                .setDocumentId(id)
                .setVersion(version)
                .setTitle(title)
                .setBody(body)
                .setTenant("acme")
                .setMetadata(Map.of("lang", "en"))
                .setEventTime(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }

    private static KafkaProducer<String, DocumentChange> producer(String transactionalId) {
        Map<String, Object> config = new HashMap<>(KAFKA.clientProperties());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        SpecificAvroSerde<DocumentChange> serde = new SpecificAvroSerde<>(DocumentChange.class);
        serde.configure(Map.of("schema.registry.url", REGISTRY), false);
        return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    }

    /** A member of the ingest's group, as a running ingest worker would be. */
    private static KafkaConsumer<String, String> joinGroup(Fixture fixture) {
        Map<String, Object> config = new HashMap<>(KAFKA.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, fixture.ingestGroup);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(fixture.topic));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (consumer.groupMetadata().memberId().isEmpty()) {
            assertThat(System.nanoTime()).as("joining the ingest group").isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200));
        }
        return consumer;
    }
}
