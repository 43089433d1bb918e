package io.streamrag.app.config;

import java.time.Duration;

/** The ingest role: document changes to chunks, embeddings and the vector store. */
public record IngestSettings(
        String applicationId,
        int chunkSizeTokens,
        int chunkOverlapTokens,
        int maxBodyChars,
        int batchMaxSize,
        Duration batchMaxWait,
        int batchMaxTokens,
        boolean reuseVectors) {
}
