package io.streamrag.store;

import java.util.Map;

/**
 * One passage of one document as the vector store keeps it. The chunk id is deterministic (UUIDv5 of document id
 * and chunk index), so writing a chunk twice overwrites instead of duplicating.
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
        float[] vector) {

    public StoredChunk {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
