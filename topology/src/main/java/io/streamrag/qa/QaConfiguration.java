package io.streamrag.qa;

import io.streamrag.app.config.AppConfig;
import java.time.Duration;

/**
 * The QA topology's settings from the application's typed configuration. Keys without an {@code qa.*} entry yet
 * (decoding, question length limit, retrieval temperature, generator prefix, BOS id) take the documented defaults
 * of {@link QaSettings#defaults}.
 */
public final class QaConfiguration {

    private QaConfiguration() {
    }

    public static QaSettings settingsFrom(AppConfig config) {
        io.streamrag.app.config.QaSettings qa = config.qa();
        QaSettings.GenerationMode mode = switch (qa.generationMode()) {
            case RAG_SEQUENCE -> QaSettings.GenerationMode.RAG_SEQUENCE;
            case CONCAT -> QaSettings.GenerationMode.CONCAT;
            case RAG_TOKEN -> QaSettings.GenerationMode.RAG_TOKEN;
        };
        // a zero wait means "answer at once": the smallest punctuation interval does that
        Duration linger = qa.batchMaxWait().isZero() ? Duration.ofMillis(1) : qa.batchMaxWait();
        return QaSettings.defaults(config.topics().questions(), config.topics().answers(),
                        config.topics().deadLetters())
                .withMode(mode)
                .withRetrieval(qa.defaultTopK(), qa.maxTopK(), qa.scoreThreshold())
                .withBatching(qa.embedBatchSize(), linger)
                .withDefaultDeadline(qa.deadline())
                .withGeneration(qa.numBeams(), qa.maxNewTokens(), null)
                .withWorkBudget(qa.batchMaxTokens(), config.ingest().chunkSizeTokens(),
                        config.kafka().transactionTimeout().dividedBy(2))
                .withReplyTopics(qa.replyTopics())
                .withRetrievalPlan(qa.retrieval());
    }
}
