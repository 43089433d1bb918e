package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.ingest.batch.BatchingSettings;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.kafka.deadletter.RecordRetryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document the embedder refuses fails its batch; the batch is applied document by document, and the refused one
 * fails the stream thread (to be retried from the last commit) until it has failed three times, counted in a ledger
 * that outlives restarts; then it is dead-lettered and the stream moves on.
 */
class IngestQuarantineTest {

    /** Batches of two, flushed from process(). */
    private static final BatchingSettings BATCHING = AppConfig.defaults().ingest().batching()
            .withSize(2, Duration.ofHours(1)).withMaxEmbedTexts(256);

    @TempDir
    Path dir;

    @Test
    void aDocumentThatKeepsFailingAcrossRestartsIsQuarantinedAfterThreeAttemptsAndTheStreamMovesOn() {
        Path ledgerFile = dir.resolve("ingest.failures");
        for (int attempt = 1; attempt <= 2; attempt++) {
            // a restart: the stores restored to the last commit (here: empty), the ledger read from its file
            try (IngestRig rig = rig(ledgerFile)) {
                rig.changes.pipeInput("p", upsert("p", 3, "P", "This text is poison to the model."));
                assertThatThrownBy(() -> rig.changes.pipeInput("g", upsert("g", 1, "G", "A good document.")))
                        .as("attempt %d", attempt)
                        .hasRootCauseInstanceOf(IllegalArgumentException.class)
                        .satisfies(e -> assertThat(causes(e)).anyMatch(RecordRetryException.class::isInstance));
                assertThat(rig.deadLetters.isEmpty()).isTrue();
            }
        }
        try (IngestRig rig = rig(ledgerFile)) {
            rig.changes.pipeInput("p", upsert("p", 3, "P", "This text is poison to the model."));
            rig.changes.pipeInput("g", upsert("g", 1, "G", "A good document."));

            DeadLetter letter = rig.deadLetters.readValue();
            assertThat(letter.getStage()).isEqualTo("quarantine");
            assertThat(letter.getDocumentId()).isEqualTo("p");
            assertThat(letter.getErrorMessage()).startsWith("version 3 failed 3 times; quarantined")
                    .contains("cannot embed a text containing 'poison'");
            assertThat(rig.pending().approximateNumEntries()).isZero();
            assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("g");
            assertThat(rig.counter("streamrag.quarantined.records", "role", "ingest")).isEqualTo(1);

            rig.changes.pipeInput("h1", upsert("h1", 1, "H", "The stream moves on."));
            rig.changes.pipeInput("h2", upsert("h2", 1, "H", "The stream moves on."));
            assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("h1", "h2");
        }
        assertThat(FailureLedger.open(ledgerFile, 3).failures("document:p@3")).as("settled").isZero();
    }

    private static IngestRig rig(Path ledgerFile) {
        IngestRig rig = new IngestRig(BATCHING, new ChunkingSettings(24, 6), 2_000, FailureLedger.open(ledgerFile, 3));
        rig.embedder.refuse("poison");
        return rig;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
