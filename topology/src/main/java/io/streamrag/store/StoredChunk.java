package io.streamrag.store;

import java.util.Map;

/**
 * One passage of one document as the vector store keeps it. The chunk id is deterministic (UUIDv5 of document id
 * and chunk index), so writing a chunk twice overwrites instead of duplicating.
 *
 * @param embeddingFingerprint what the vector was computed from (embedding text and embedder identity, hashed): a
 *                             later change whose chunk has the same fingerprint reuses the vector instead of
 *                             embedding again; null for chunks written without one (they are never reused)
 */
public record StoredChunk(
        String chunkId,
        String documentId,
        int chunkIndex,
        long version,
        String title,
        String text,
        String tenant,
        Map<String, String> metadata,
        float[] vector,
        String embeddingFingerprint) {

    public StoredChunk {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A chunk without a fingerprint: its vector is never reused. */
    public StoredChunk(String chunkId, String documentId, int chunkIndex, long version, String title, String text,
                       String tenant, Map<String, String> metadata, float[] vector) {
        this(chunkId, documentId, chunkIndex, version, title, text, tenant, metadata, vector, null);
    }
}
