package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector store is made durable when Kafka Streams commits, before the commit makes the batch's outputs (and
 * offsets) visible, and a failing store commit stops the Kafka commit. The driver runs the real task commit
 * ({@code StreamTask.prepareCommit}, then the producer's transaction), so this pins the order the
 * {@code StoreCommitHook} relies on.
 */
class StoreCommitHookTest {

    private final IngestRig rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(3, IngestRig.LINGER).withMaxEmbedTexts(256),
            new ChunkingSettings(24, 6), 2_000);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void theStoreIsFlushedWhenKafkaCommitsTheBatchBeforeItsIndexUpdatesAreCommitted() {
        List<long[]> flushes = new ArrayList<>(); // {chunks in the store, committed index updates} at each flush
        rig.store.onFlush(() -> flushes.add(new long[] {rig.store.count(), rig.updates.getQueueSize()}));
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 6)));
        rig.changes.pipeInput("b", upsert("b", 1, "B", Documents.sentences("bananas", 6)));
        assertThat(flushes).as("commits before the batch find nothing written").allMatch(seen -> seen[0] == 0);

        rig.lingerPasses(); // the batch is applied in the punctuation, then Streams commits

        assertThat(flushes).as("the commit after the batch flushed the store while its updates were uncommitted")
                .anyMatch(seen -> seen[0] > 2 && seen[1] == 0);
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a", "b");
    }

    @Test
    void aFailingStoreFlushFailsTheKafkaCommitSoTheBatchsUpdatesAreNeverCommitted() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 6)));
        rig.store.onFlush(() -> {
            throw new IllegalStateException("injected: the store's commit failed");
        });

        assertThatThrownBy(rig::lingerPasses).hasStackTraceContaining("injected: the store's commit failed");

        assertThat(rig.store.count()).as("the batch was written").isPositive();
        assertThat(rig.updates.isEmpty()).as("but Kafka did not commit its index update").isTrue();
        rig.store.onFlush(() -> { }); // the store recovers: closing the driver commits again
    }

    /**
     * A crash keeps only what Lucene committed: read the directory as a restarted process would (the last commit
     * point, not the writer's near-real-time view) once Kafka has committed the batch's index updates.
     */
    @Test
    void everyChunkWhoseIndexUpdateKafkaCommittedIsInTheLastLuceneCommit(@TempDir Path temp) throws Exception {
        try (BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(128);
             LuceneVectorStore store = LuceneVectorStore.open(temp.resolve("index"))) {
            store.ensureCollection(embedder.dimension());
            IngestSettings settings = AppConfig.defaults().ingest()
                    .withTopics(List.of(IngestRig.CHANGES), IngestRig.INDEX_UPDATES, IngestRig.DEAD_LETTERS)
                    .withChunking(new ChunkingSettings(24, 6))
                    .withBatching(AppConfig.defaults().ingest().batching().withSize(3, IngestRig.LINGER)
                            .withMaxEmbedTexts(256))
                    .withMaxBodyChars(2_000).withCollection("chunks-test").withCapturedDocumentsTopic(null);
            Serde<DocumentChange> changeSerde = TestSerdes.specific(DocumentChange.class);
            Serde<IndexUpdate> updateSerde = TestSerdes.specific(IndexUpdate.class);
            IngestTopology topology = new IngestTopology(settings, new IngestSerdes(changeSerde, updateSerde,
                    TestSerdes.specific(DeadLetter.class), TestSerdes.generic()), embedder, store,
                    new SimpleMeterRegistry(), Clock.fixed(IngestRig.NOW, ZoneOffset.UTC));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-commit-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            props.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(topology.build(), props, IngestRig.NOW)) {
                TestInputTopic<String, DocumentChange> changes = driver.createInputTopic(IngestRig.CHANGES,
                        new StringSerializer(), changeSerde.serializer());
                TestOutputTopic<String, IndexUpdate> updates = driver.createOutputTopic(IngestRig.INDEX_UPDATES,
                        new StringDeserializer(), updateSerde.deserializer());
                changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 6)));
                changes.pipeInput("b", upsert("b", 1, "B", Documents.sentences("bananas", 6)));
                driver.advanceWallClockTime(IngestRig.LINGER);

                assertThat(updates.readKeyValuesToMap()).as("Kafka committed both updates").containsOnlyKeys("a", "b");
                try (FSDirectory directory = FSDirectory.open(temp.resolve("index"));
                     DirectoryReader committed = DirectoryReader.open(directory)) {
                    assertThat(store.count()).isGreaterThan(2);
                    assertThat((long) committed.numDocs()).as("chunks in the last Lucene commit")
                            .isEqualTo(store.count());
                }
            }
        }
    }
}
