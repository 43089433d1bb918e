package io.streamrag.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The port the topologies write to and search in. Writes are idempotent: replaying a document's latest version
 * leaves the store exactly as one application of it did. Failures surface as exceptions (after the adapter's own
 * retries of transient errors) so the caller never commits past a write that did not happen.
 */
public interface VectorStore extends AutoCloseable {

    /** Creates the collection (cosine distance, this vector size) and its payload indexes when missing. */
    void ensureCollection(int dimension);

    /**
     * Makes {@code chunks} the whole content of document {@code documentId}: upserts them by chunk id and removes the
     * document's chunks with an index at or beyond {@code chunks.size()} (a document that shrank).
     */
    void replaceDocument(String documentId, List<StoredChunk> chunks);

    /** Removes every chunk of the document; a no-op when it has none. */
    void deleteDocument(String documentId);

    /**
     * Makes every write so far durable. The ingest topology calls it once per Kafka commit, before Kafka commits
     * the offsets of the batches written since (a no-op where writes are already durable when they return, as
     * Qdrant's wait=true upserts). Writes are searchable before it, when they return.
     */
    void flush();

    /** Runs the queries, one result list per request, best first. */
    List<List<SearchHit>> search(List<SearchRequest> requests);

    /** The stored chunks of one document ordered by chunk index (vectors included): for verification and tests. */
    List<StoredChunk> chunksOf(String documentId);

    /**
     * The fingerprinted vectors of these documents' chunks (chunks stored without a fingerprint are left out), in one
     * read where the store allows it: what an ingest batch may reuse instead of embedding again.
     */
    default List<StoredEmbedding> embeddingsOf(Collection<String> documentIds) {
        List<StoredEmbedding> embeddings = new ArrayList<>();
        for (String documentId : documentIds) {
            for (StoredChunk chunk : chunksOf(documentId)) {
                if (chunk.embeddingFingerprint() != null && chunk.vector() != null) {
                    embeddings.add(new StoredEmbedding(documentId, chunk.embeddingFingerprint(), chunk.vector()));
                }
            }
        }
        return embeddings;
    }

    /** Exact number of chunks in the collection. */
    long count();

    /** True when the backing store answers (readiness checks). */
    boolean isReachable();

    @Override
    void close();
}
