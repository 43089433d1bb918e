package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.ingest.chunk.DocumentChunker;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A whole scripted history, batched by size and by linger, leaves exactly the winning changes in the index. */
class IngestScriptedHistoryTest {

    @Test
    void theIndexReflectsExactlyTheNewestVersionOfEveryDocument() {
        ChunkingSettings chunking = new ChunkingSettings(24, 6);
        try (IngestRig rig = new IngestRig(AppConfig.defaults().ingest().batching().withSize(7, IngestRig.LINGER)
                .withMaxEmbedTexts(16), chunking, 10_000)) {
            ChangeScript script = ChangeScript.of(40);
            int sent = 0;
            for (DocumentChange change : script.sends()) {
                rig.changes.pipeInput(change.getDocumentId(), change);
                if (++sent % 11 == 0) {
                    rig.lingerPasses();
                }
            }
            rig.lingerPasses();

            DocumentChunker chunker = new DocumentChunker(rig.embedder.tokenizer(), rig.embedder.maxTokens(),
                    chunking);
            IndexExpectations.assertIndexHoldsExactly(rig.store, script.winners(), chunker, rig.embedder);

            Map<String, Long> lastReported = rig.updates.readValuesToList().stream().collect(Collectors.toMap(
                    IndexUpdate::getDocumentId, IndexUpdate::getVersion, Math::max));
            assertThat(lastReported).isEqualTo(script.winners().values().stream().collect(Collectors.toMap(
                    DocumentChange::getDocumentId, DocumentChange::getVersion)));
            Map<String, Long> newest = new HashMap<>();
            long notNewer = 0;
            for (DocumentChange change : script.sends()) {
                Long before = newest.get(change.getDocumentId());
                if (before != null && change.getVersion() <= before) {
                    notNewer++;
                } else {
                    newest.put(change.getDocumentId(), change.getVersion());
                }
            }
            assertThat(notNewer).isPositive();
            assertThat(rig.counter("streamrag.ingest.changes.stale")).as("out-of-order and duplicate deliveries")
                    .isEqualTo(notNewer);
        }
    }
}
