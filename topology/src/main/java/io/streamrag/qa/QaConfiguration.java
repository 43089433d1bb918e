package io.streamrag.qa;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.GenerationMode;
import java.time.Duration;

/**
 * The QA topology's settings from the application's typed configuration. Keys without an {@code qa.*} entry yet
 * (decoding, question length limit, retrieval temperature, generator prefix, BOS id) take the documented defaults
 * of {@link QaSettings#defaults}.
 */
public final class QaConfiguration {

    private QaConfiguration() {
    }

    /**
     * @throws IllegalArgumentException for {@code qa.generation.mode=rag-token}: the generator port exposes no
     *     per-step distributions, so RAG-token marginalisation is not implemented
     */
    public static QaSettings settingsFrom(AppConfig config) {
        io.streamrag.app.config.QaSettings qa = config.qa();
        QaSettings.GenerationMode mode = switch (qa.generationMode()) {
            case RAG_SEQUENCE -> QaSettings.GenerationMode.RAG_SEQUENCE;
            case CONCAT -> QaSettings.GenerationMode.CONCAT;
            case RAG_TOKEN -> throw new IllegalArgumentException("qa.generation.mode="
                    + GenerationMode.RAG_TOKEN.configName() + " is not supported by the QA topology;"
                    + " use rag-sequence or concat");
        };
        // a zero wait means "answer at once": the smallest punctuation interval does that
        Duration linger = qa.batchMaxWait().isZero() ? Duration.ofMillis(1) : qa.batchMaxWait();
        return QaSettings.defaults(config.topics().questions(), config.topics().answers(),
                        config.topics().deadLetters())
                .withMode(mode)
                .withRetrieval(qa.defaultTopK(), qa.maxTopK(), qa.scoreThreshold())
                .withBatching(qa.embedBatchSize(), linger)
                .withDefaultDeadline(qa.deadline())
                .withGeneration(qa.numBeams(), qa.maxNewTokens(), null);
    }
}
