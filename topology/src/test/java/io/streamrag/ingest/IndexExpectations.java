package io.streamrag.ingest;

import io.streamrag.store.InMemoryVectorStore;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.List;
import java.util.Map;

/** Checks a vector store point by point against the changes that must have won. */
final class IndexExpectations {

    private IndexExpectations() {
    }

    static void assertIndexHoldsExactly(VectorStore store, Map<String, DocumentChange> winners,
                                        DocumentChunker chunker, TextEmbedder embedder) {
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
                StoredChunk actual = stored.get(i);
                Chunk chunk = expected.get(i);
                assertThat(actual.chunkId()).as("id of chunk %d of %s", i, id).isEqualTo(chunk.chunkId());
                assertThat(actual.chunkIndex()).isEqualTo(i);
                assertThat(actual.text()).as("text of chunk %d of %s", i, id).isEqualTo(chunk.text());
                assertThat(actual.version()).as("version of chunk %d of %s", i, id).isEqualTo(winner.getVersion());
                assertThat(actual.tenant()).isEqualTo(winner.getTenant());
                assertThat(actual.metadata()).containsAllEntriesOf(winner.getMetadata());
                assertThat(InMemoryVectorStore.cosine(actual.vector(), vectors.get(i))).as("vector of chunk %d of %s", i, id)
                        .isGreaterThan(0.999);
            }
        }
        assertThat(store.count()).as("no stray points").isEqualTo(expectedPoints);
    }
}
