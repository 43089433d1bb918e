package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import io.streamrag.store.InMemoryVectorStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.chunk.ChunkingSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The ingest topology in a TopologyTestDriver with an in-memory store and the bag-of-words embedder. */
final class IngestRig implements AutoCloseable {

    static final String CHANGES = "document-changes";
    static final String INDEX_UPDATES = "index-updates";
    static final String DEAD_LETTERS = "dead-letters";
    static final String CDC_JSON = "pg.public.articles";
    static final String CDC_FLAT = "flat.public.articles";
    static final String CDC_AVRO = "avro.public.articles";
    static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    static final Duration LINGER = Duration.ofMillis(10);

    /** Columns of the captured {@code articles} table. */
    static final CdcFieldMapping ARTICLES = new CdcFieldMapping("id", "title", "body", "tenant", "attributes",
            List.of("lang"), "updated_at", "deleted", "");

    final IngestSettings settings;
    final InMemoryVectorStore store = new InMemoryVectorStore();
    final BagOfWordsEmbedder embedder;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Serde<DocumentChange> changeSerde = TestSerdes.specific(DocumentChange.class);
    final TopologyTestDriver driver;
    final TestInputTopic<String, DocumentChange> changes;
    final TestInputTopic<byte[], byte[]> rawChanges;
    final TestInputTopic<byte[], byte[]> cdcJson;
    final TestInputTopic<byte[], byte[]> cdcFlat;
    final TestInputTopic<byte[], byte[]> cdcAvro;
    final TestOutputTopic<String, IndexUpdate> updates;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;

    /**
     * The settings in which this rig differs from production ({@code AppConfig.defaults().ingest()}): its topics and
     * CDC sources, and the chunking, body limit and collection every rig sets; batching differs only where a test
     * passes its own ({@code IngestRigDefaultsTest} holds the rig to this).
     */
    static final java.util.Set<String> OVERRIDES = java.util.Set.of("documentChangeTopics", "cdcSources",
            "indexUpdatesTopic", "deadLetterTopic", "chunking", "maxBodyChars", "collection", "capturedDocumentsTopic");

    IngestRig() {
        this(AppConfig.defaults().ingest().batching(), new ChunkingSettings(24, 6), 2_000);
    }

    IngestRig(BatchingSettings batching, ChunkingSettings chunking, int maxBodyChars) {
        this(batching, chunking, maxBodyChars, io.streamrag.kafka.deadletter.FailureLedger.inMemory(3));
    }

    /** With the ledger that counts failing changes (a file-backed one outlives the rig, as across restarts). */
    IngestRig(BatchingSettings batching, ChunkingSettings chunking, int maxBodyChars,
              io.streamrag.kafka.deadletter.FailureLedger ledger) {
        this.embedder = new BagOfWordsEmbedder(128);
        // production defaults, on the rig's topics and sources, with the batching, chunking and body limit of the test
        settings = AppConfig.defaults().ingest()
                .withCdcSources(List.of(new CdcSource("articles", List.of(CDC_JSON), CdcFormat.JSON, ARTICLES),
                        new CdcSource("articles-flat", List.of(CDC_FLAT), CdcFormat.JSON, ARTICLES),
                        new CdcSource("articles-avro", List.of(CDC_AVRO), CdcFormat.AVRO, ARTICLES)))
                .withTopics(List.of(CHANGES), INDEX_UPDATES, DEAD_LETTERS)
                .withChunking(chunking).withBatching(batching).withMaxBodyChars(maxBodyChars)
                .withCollection("chunks-test").withCapturedDocumentsTopic(null);
        Serde<IndexUpdate> updateSerde = TestSerdes.specific(IndexUpdate.class);
        Serde<DeadLetter> deadLetterSerde = TestSerdes.specific(DeadLetter.class);
        IngestSerdes serdes = new IngestSerdes(changeSerde, updateSerde, deadLetterSerde,
                TestSerdes.generic());
        // with production's embedOverlap, but batches embed inline when started: outputs come at known steps here
        // (IngestOverlapTest runs the background lanes)
        IngestTopology topology = new IngestTopology(settings, serdes, embedder, store, meters,
                Clock.fixed(NOW, ZoneOffset.UTC)).withFailureLedger(ledger)
                .withEmbeddingLanes(name -> io.streamrag.ingest.batch.EmbeddingLane.inline());

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        driver = new TopologyTestDriver(topology.build(), props, NOW);

        changes = driver.createInputTopic(CHANGES, new StringSerializer(), changeSerde.serializer());
        rawChanges = driver.createInputTopic(CHANGES, new ByteArraySerializer(), new ByteArraySerializer());
        cdcJson = driver.createInputTopic(CDC_JSON, new ByteArraySerializer(), new ByteArraySerializer());
        cdcFlat = driver.createInputTopic(CDC_FLAT, new ByteArraySerializer(), new ByteArraySerializer());
        cdcAvro = driver.createInputTopic(CDC_AVRO, new ByteArraySerializer(), new ByteArraySerializer());
        updates = driver.createOutputTopic(INDEX_UPDATES, new StringDeserializer(), updateSerde.deserializer());
        deadLetters = driver.createOutputTopic(DEAD_LETTERS, new ByteArrayDeserializer(),
                deadLetterSerde.deserializer());
    }

    private static java.nio.file.Path stateDir() {
        try {
            return java.nio.file.Files.createTempDirectory("ingest-rig");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Lets the linger pass, so the punctuation flushes whatever is pending. */
    void lingerPasses() {
        driver.advanceWallClockTime(settings.batching().linger());
    }

    KeyValueStore<String, DocumentChange> pending() {
        return driver.getKeyValueStore(IngestTopology.PENDING_CHANGES_STORE);
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
        embedder.close();
    }
}
