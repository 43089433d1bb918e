package io.streamrag.app.config;

import io.streamrag.store.RetrievalPlan;
import java.time.Duration;

/**
 * The QA role: questions to retrieval, generation and answers.
 *
 * @param priority questions' embedder calls go ahead of queued indexing work on the shared embedder
 */
public record QaSettings(
        String applicationId,
        int defaultTopK,
        int maxTopK,
        double scoreThreshold,
        GenerationMode generationMode,
        int numBeams,
        int maxNewTokens,
        Duration deadline,
        int embedBatchSize,
        int generateBatchSize,
        Duration batchMaxWait,
        int batchMaxTokens,
        java.util.List<String> replyTopics,
        RetrievalPlan retrieval,
        boolean priority) {
}
