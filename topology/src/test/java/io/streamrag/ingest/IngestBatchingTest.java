package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.store.StoredChunk;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pending changes are gathered per document and applied in batches with one embed call each. */
class IngestBatchingTest {

    private IngestRig rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(3, IngestRig.LINGER)
            .withMaxEmbedTexts(256),
            new ChunkingSettings(24, 6), 2_000);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void nothingIsAppliedBeforeTheLingerPassesThenOneBatchAppliesAll() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 6)));
        rig.changes.pipeInput("b", upsert("b", 1, "B", Documents.sentences("bananas", 6)));
        rig.driver.advanceWallClockTime(IngestRig.LINGER.minusMillis(6));
        assertThat(rig.store.count()).isZero();
        assertThat(rig.updates.isEmpty()).isTrue();

        rig.driver.advanceWallClockTime(Duration.ofMillis(6));

        long chunks = rig.store.count();
        assertThat(chunks).isGreaterThan(2);
        assertThat(rig.embedder.callSizes()).as("one embed call with every chunk of the batch")
                .containsExactly((int) chunks);
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a", "b");
        assertThat(rig.pending().approximateNumEntries()).isZero();
    }

    @Test
    void aBatchStopsAtItsTokenBudgetAndTheRestFollowsAtTheNextPunctuationOneDocumentAtLeast() {
        rig.close();
        // 30 tokens: less than one document of several 24-token chunks (which still goes, alone), more than two tiny ones
        rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(100, IngestRig.LINGER)
                .withMaxEmbedTexts(256).withMaxTokens(30),
                new ChunkingSettings(24, 6), 2_000);
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 6)));
        rig.changes.pipeInput("b", upsert("b", 1, "B", Documents.sentences("bananas", 6)));
        rig.changes.pipeInput("c", upsert("c", 1, "C", "Cherries."));
        rig.changes.pipeInput("d", upsert("d", 1, "D", "Dates."));

        rig.lingerPasses();
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a");
        assertThat(rig.pending().approximateNumEntries()).isEqualTo(3);

        rig.lingerPasses();
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("b");

        rig.lingerPasses();
        assertThat(rig.updates.readKeyValuesToMap()).as("two small documents fit together").containsOnlyKeys("c", "d");
        assertThat(rig.embedder.callSizes()).hasSize(3);
        assertThat(rig.pending().approximateNumEntries()).isZero();
        assertThat(rig.counter("streamrag.redone.records", "role", "ingest")).isZero();
    }

    @Test
    void aFullBufferIsFlushedAtOnceWithoutWaitingForTheLinger() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Apples."));
        rig.changes.pipeInput("b", upsert("b", 1, "B", "Bananas."));
        assertThat(rig.store.count()).isZero();

        rig.changes.pipeInput("c", upsert("c", 1, "C", "Cherries."));

        assertThat(rig.store.count()).isEqualTo(3);
        assertThat(rig.embedder.callSizes()).containsExactly(3);
        DistributionSummary sizes = rig.meters.find("streamrag.ingest.batch.documents").summary();
        assertThat(sizes.count()).isEqualTo(1);
        assertThat(sizes.totalAmount()).isEqualTo(3);
    }

    @Test
    void repeatedChangesOfOneDocumentCoalesceToTheLatestBeforeEmbedding() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Draft one."));
        rig.changes.pipeInput("a", upsert("a", 2, "A", "Draft two."));
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Final text."));
        rig.lingerPasses();

        assertThat(rig.embedder.callSizes()).containsExactly(1);
        assertThat(rig.store.chunksOf("a")).extracting(StoredChunk::text).containsExactly("Final text.");
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion).containsExactly(3L);
        assertThat(rig.counter("streamrag.ingest.changes.coalesced")).isEqualTo(2);
    }

    @Test
    void aBigBatchIsEmbeddedInSlicesOfTheConfiguredMaximum() {
        rig.close();
        rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(100, IngestRig.LINGER)
                .withMaxEmbedTexts(4), new ChunkingSettings(24, 6), 2_000);
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("apples", 8)));
        rig.changes.pipeInput("b", upsert("b", 1, "B", Documents.sentences("bananas", 8)));
        rig.lingerPasses();

        int chunks = (int) rig.store.count();
        assertThat(rig.embedder.callSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4));
        assertThat(rig.embedder.callSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(chunks);
        assertThat(rig.embedder.callSizes()).hasSize((chunks + 3) / 4);
    }

    @Test
    void aGrowingThenShrinkingDocumentKeepsExactlyItsCurrentChunks() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", Documents.sentences("growth", 3)));
        rig.lingerPasses();
        int small = rig.store.chunksOf("a").size();
        rig.changes.pipeInput("a", upsert("a", 2, "A", Documents.sentences("growth", 20)));
        rig.lingerPasses();
        int large = rig.store.chunksOf("a").size();
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Short again."));
        rig.lingerPasses();

        assertThat(large).isGreaterThan(small);
        assertThat(rig.store.chunksOf("a")).extracting(StoredChunk::text, StoredChunk::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Short again.", 3L));
    }

    /**
     * The driver drops a punctuator that threw (a real stream thread dies and its replacement starts over from the
     * last commit, see IngestRecoveryIT), so here the next flush is the one a full buffer triggers.
     */
    @Test
    void aStoreFailureKeepsTheBatchPendingAndEmitsNothingUntilAFlushSucceeds() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Apples."));
        rig.changes.pipeInput("b", upsert("b", 1, "B", "Bananas."));
        rig.store.failOnceAtWrite(1);

        assertThatThrownBy(rig::lingerPasses).hasRootCauseMessage("injected store failure writing b");

        assertThat(rig.updates.isEmpty()).isTrue();
        assertThat(rig.pending().get("a")).isNotNull();
        assertThat(rig.pending().get("b")).isNotNull();

        rig.changes.pipeInput("c", upsert("c", 1, "C", "Cherries."));
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a", "b", "c");
        assertThat(rig.store.chunksOf("b")).extracting(StoredChunk::text).containsExactly("Bananas.");
        assertThat(rig.pending().approximateNumEntries()).isZero();
    }

    @Test
    void freshnessIsMeasuredFromTheSourceEventToTheApplication() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Apples."));
        rig.lingerPasses();

        var freshness = rig.meters.find("streamrag.ingest.freshness").timer();
        assertThat(freshness.count()).isEqualTo(1);
        assertThat(freshness.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(250);
    }
}
