package io.streamrag.ingest;

import static io.streamrag.ingest.Documents.delete;
import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.store.StoredChunk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only changes newer than what the index already has (or is about to get) are applied. */
class IngestVersioningTest {

    private final IngestRig rig = new IngestRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void anOlderVersionArrivingLateIsSkippedAndCounted() {
        rig.changes.pipeInput("a", upsert("a", 2, "A", "Second edition."));
        rig.lingerPasses();
        rig.changes.pipeInput("a", upsert("a", 1, "A", "First edition."));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("a")).extracting(StoredChunk::text, StoredChunk::version)
                .containsExactly(tuple("Second edition.", 2L));
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion).containsExactly(2L);
        assertThat(rig.counter("streamrag.ingest.changes.stale")).isEqualTo(1);
    }

    @Test
    void aDuplicateDeliveryIsSkippedAndCounted() {
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Same text."));
        rig.lingerPasses();
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Same text."));
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Same text."));
        rig.lingerPasses();

        assertThat(rig.updates.readValuesToList()).hasSize(1);
        assertThat(rig.embedder.callSizes()).as("the duplicates were never embedded").hasSize(1);
        assertThat(rig.counter("streamrag.ingest.changes.stale")).isEqualTo(2);
    }

    @Test
    void aVersionOlderThanThePendingOneIsSkippedBeforeItIsEverApplied() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "One."));
        rig.lingerPasses();
        rig.changes.pipeInput("a", upsert("a", 5, "A", "Five."));
        rig.changes.pipeInput("a", upsert("a", 4, "A", "Four."));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("a")).extracting(StoredChunk::text).containsExactly("Five.");
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion).containsExactly(1L, 5L);
        assertThat(rig.counter("streamrag.ingest.changes.stale")).isEqualTo(1);
    }

    @Test
    void aDeleteIsVersionedLikeAnyChangeAndAnOlderUpdateCannotResurrectTheDocument() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Alive."));
        rig.lingerPasses();
        rig.changes.pipeInput("a", delete("a", 3));
        rig.lingerPasses();
        rig.changes.pipeInput("a", upsert("a", 2, "A", "Stale resurrection."));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("a")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation, IndexUpdate::getVersion)
                .containsExactly(tuple(Operation.CREATE, 1L), tuple(Operation.DELETE, 3L));
    }

    @Test
    void aDocumentCanComeBackWithANewerVersionAfterItWasDeleted() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Alive."));
        rig.changes.pipeInput("a", delete("a", 2));
        rig.lingerPasses();
        rig.changes.pipeInput("a", upsert("a", 3, "A", "Alive again."));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("a")).extracting(StoredChunk::text).containsExactly("Alive again.");
    }

    @Test
    void aTombstoneOnTheDocumentChangeTopicDeletesTheKeyedDocument() {
        rig.changes.pipeInput("a", upsert("a", 4, "A", "Alive."));
        rig.lingerPasses();
        rig.changes.pipeInput("a", null);
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("a")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation, IndexUpdate::getVersion)
                .containsExactly(tuple(Operation.UPDATE, 4L), tuple(Operation.DELETE, 4L));
    }
}
