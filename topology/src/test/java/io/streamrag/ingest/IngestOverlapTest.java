package io.streamrag.ingest;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.app.config.AppConfig;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.batch.EmbeddingLane;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Embedding overlaps the store writes ({@code ingest.embed.overlap}): with the task's embedding lane on a background
 * thread, as in production, the next batch is embedded while the previous one is written, and a batch embedded ahead
 * whose changes moved on is not applied as it was planned.
 */
class IngestOverlapTest {

    private static final Duration LINGER = Duration.ofMillis(10);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final BagOfWordsEmbedder bagOfWords = new BagOfWordsEmbedder(128);
    private final RecordingEmbedder embedder = new RecordingEmbedder();
    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final List<Throwable> storeFailures = new CopyOnWriteArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, DocumentChange> changes;
    private TestOutputTopic<String, IndexUpdate> updates;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void theNextBatchIsEmbeddedWhileThePreviousOneIsWritten() throws Exception {
        start(2, EmbeddingLane::background);
        embedder.holdTextsWith("apples");
        // the write of the first batch goes on only once the second batch's embedding has begun: without overlap
        // the stream thread would wait here for an embedding that starts only after this write
        store.onWrite(documentId -> {
            try {
                if (documentId.equals("a")) {
                    embedder.awaitCallWith("cherries");
                }
            } catch (RuntimeException e) {
                storeFailures.add(e);
                throw e;
            }
            events.add("writing " + documentId);
        });

        changes.pipeInput("a", upsert("a", 1, "A", "Apples are red."));
        changes.pipeInput("b", upsert("b", 1, "B", "Bananas are yellow."));
        changes.pipeInput("c", upsert("c", 1, "C", "Cherries are dark."));
        embedder.release();
        changes.pipeInput("d", upsert("d", 1, "D", "Dates are sweet."));
        List<IndexUpdate> applied = drain(4);

        assertThat(applied).extracting(IndexUpdate::getDocumentId).containsExactly("a", "b", "c", "d");
        assertThat(events.indexOf("embed cherries")).as("the next batch's embedding began")
                .isLessThan(events.indexOf("writing a"));
        assertThat(storeFailures).isEmpty();
        assertThat(store.chunksOf("c")).extracting(StoredChunk::text).containsExactly("Cherries are dark.");
    }

    @Test
    void aChangeReplacedWhileItsBatchWasEmbeddingIsEmbeddedAgainAndTheRestKeepTheirVectors() throws Exception {
        start(2, EmbeddingLane::background);
        embedder.holdTextsWith("first");

        changes.pipeInput("a", upsert("a", 1, "A", "Apples, first draft."));
        changes.pipeInput("b", upsert("b", 1, "B", "Bananas, first and only draft."));
        // the batch {a@1, b@1} is embedding; a newer a replaces a@1 in the buffer before the batch is applied
        changes.pipeInput("a", upsert("a", 2, "A", "Apples, second draft."));
        embedder.release();
        List<IndexUpdate> applied = drain(2);

        assertThat(applied).extracting(update -> update.getDocumentId() + "@" + update.getVersion())
                .containsExactly("b@1", "a@2");
        assertThat(embedder.calls).as("b embedded once, a@1 never written, a@2 embedded afresh").containsExactly(
                List.of("A. Apples, first draft.", "B. Bananas, first and only draft."),
                List.of("A. Apples, second draft."));
        StoredChunk a = store.chunksOf("a").get(0);
        assertThat(a.text()).isEqualTo("Apples, second draft.");
        assertThat(a.vector()).containsExactly(bagOfWords.embed(List.of("A. Apples, second draft.")).get(0));
        assertThat(store.chunksOf("b").get(0).vector())
                .containsExactly(bagOfWords.embed(List.of("B. Bananas, first and only draft.")).get(0));
    }

    @Test
    void aTaskClosedWhileItsBatchIsEmbeddingStopsItsLaneAndWritesNothing() throws Exception {
        start(1, EmbeddingLane::background);
        embedder.holdTextsWith("apples");
        changes.pipeInput("a", upsert("a", 1, "A", "Apples are red."));
        embedder.awaitCallWith("apples");
        Thread lane = embedder.heldOn;
        assertThat(lane.getName()).isEqualTo("ingest-embed-0_0");

        driver.close();
        driver = null;

        lane.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(lane.isAlive()).as("the lane's thread ends with its task").isFalse();
        assertThat(embedder.interrupted).as("the embedding in flight was interrupted").isTrue();
        assertThat(store.count()).isZero();
    }

    /** The flushes of the TopologyTestDriver happen on this thread: let the linger pass until {@code count} are out. */
    private List<IndexUpdate> drain(int count) throws InterruptedException {
        List<IndexUpdate> applied = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (applied.size() < count && System.nanoTime() < deadline) {
            driver.advanceWallClockTime(LINGER);
            applied.addAll(updates.readValuesToList());
            Thread.sleep(5);
        }
        return applied;
    }

    private void start(int batchSize, Function<String, EmbeddingLane> lanes) throws Exception {
        BatchingSettings batching = AppConfig.defaults().ingest().batching().withSize(batchSize, LINGER);
        assertThat(batching.embedOverlap()).as("overlap is the default").isTrue();
        IngestSettings settings = AppConfig.defaults().ingest()
                .withTopics(List.of(IngestRig.CHANGES), IngestRig.INDEX_UPDATES, IngestRig.DEAD_LETTERS)
                .withChunking(new ChunkingSettings(24, 6)).withBatching(batching).withCollection("overlap-test")
                .withCapturedDocumentsTopic(null);
        Serde<DocumentChange> changeSerde = TestSerdes.specific(DocumentChange.class);
        Serde<IndexUpdate> updateSerde = TestSerdes.specific(IndexUpdate.class);
        IngestSerdes serdes = new IngestSerdes(changeSerde, updateSerde,
                TestSerdes.specific(io.streamrag.contracts.DeadLetter.class), TestSerdes.generic());
        IngestTopology topology = new IngestTopology(settings, serdes, embedder, store, new SimpleMeterRegistry(),
                Clock.fixed(IngestRig.NOW, ZoneOffset.UTC)).withEmbeddingLanes(lanes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-overlap-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("ingest-overlap").toString());
        driver = new TopologyTestDriver(topology.build(), props, IngestRig.NOW);
        changes = driver.createInputTopic(IngestRig.CHANGES, new StringSerializer(), changeSerde.serializer());
        updates = driver.createOutputTopic(IngestRig.INDEX_UPDATES, new StringDeserializer(),
                updateSerde.deserializer());
    }

    /** Records every embed call (as "embed &lt;word&gt;" events and by texts); holds calls with a marked text. */
    private final class RecordingEmbedder extends ForwardingTextEmbedder {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile String held = "\u0000";
        volatile boolean interrupted;
        volatile Thread heldOn;

        RecordingEmbedder() {
            super(bagOfWords);
        }

        void holdTextsWith(String word) {
            held = word;
        }

        void release() {
            released.countDown();
        }

        void awaitCallWith(String word) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!events.contains("embed " + word)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no embedding of '" + word + "' began; events: " + events);
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(List.copyOf(texts));
            if (texts.stream().anyMatch(text -> text.toLowerCase().contains(held))) {
                heldOn = Thread.currentThread();
            }
            for (String word : List.of("apples", "bananas", "cherries", "dates")) {
                if (texts.stream().anyMatch(text -> text.toLowerCase().contains(word))) {
                    events.add("embed " + word);
                }
            }
            if (texts.stream().anyMatch(text -> text.toLowerCase().contains(held))) {
                try {
                    if (!released.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("held embedding never released");
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return delegate().embed(texts);
        }

        @Override
        public void close() {
        }
    }
}
