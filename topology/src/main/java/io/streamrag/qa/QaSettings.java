package io.streamrag.qa;

import io.streamrag.store.RetrievalPlan;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the QA topology reads from configuration, validated once at construction. The application builds it
 * from the configuration catalogue ({@code AppConfig.qa()}); it declares no defaults of its own, so tests start from
 * the production values ({@code AppConfig.defaults().qa()}) and change what they are about with a {@code with...}.
 *
 * @param applicationId Kafka Streams {@code application.id} of the QA role
 * @param questionsTopic where questions arrive
 * @param answersTopic where answers go (a question's {@code replyTo} overrides it for that question)
 * @param deadLetterTopic where rejected or failed questions go, with the reason
 * @param mode how the generator is used; ignored when no generator is configured (then extractive)
 * @param decoding rag-sequence only: thorough (rescore every candidate under every document) or fast
 * @param defaultTopK passages retrieved when a question gives no top-k
 * @param maxTopK largest top-k a question may ask for (the smallest is 1)
 * @param maxQuestionChars longer questions are rejected as INVALID
 * @param scoreThreshold a question whose best passage scores below it gets NO_CONTEXT
 * @param retrievalTemperature p(d|x) = softmax(score / temperature); 1.0 is the paper's plain softmax
 * @param defaultDeadline answer deadline, from the question's requestedAt, when the question gives none
 * @param batchMaxSize a batch is answered as soon as this many questions wait (they are embedded together)
 * @param batchLinger how long the first waiting question may wait for others (wall-clock punctuation interval)
 * @param generateBatchSize most questions of a batch whose answers the generator decodes together
 * @param numBeams beams per generator input; null = the generator's own default
 * @param maxNewTokens generated tokens at most; null = the generator's own default max length
 * @param generatorPrefix HF's generator {@code config.prefix} put before each rag-sequence input (empty for BART)
 * @param bosTokenId rag-sequence thorough: the BOS id whose score HF leaves out ({@code exclude_bos_score});
 *     null = the generator's forced BOS id
 * @param batchMaxTokens work budget of one batch: a question costs its own tokens plus top-k x {@code passageTokens}
 * @param passageTokens tokens of one retrieved passage, for that estimate (the ingest's chunk size)
 * @param batchTimeBudget a batch is also cut to what the measured speed finishes in this time (half the
 *     transaction timeout), so slow inference never outlives its transaction
 * @param replyTopics topics (or prefixes ending in {@code *}) a question's replyTo may name; empty = the answers
 *     topic and its name as prefix
 * @param retrievalPlan how passages are retrieved: hybrid (dense + BM25, fused), dense or keyword, leg depths, RRF
 * @param priority questions' embedder calls go ahead of queued indexing work on the shared embedder
 */
public record QaSettings(
        String applicationId,
        String questionsTopic,
        String answersTopic,
        String deadLetterTopic,
        GenerationMode mode,
        RagDecoding decoding,
        int defaultTopK,
        int maxTopK,
        int maxQuestionChars,
        double scoreThreshold,
        double retrievalTemperature,
        Duration defaultDeadline,
        int batchMaxSize,
        Duration batchLinger,
        int generateBatchSize,
        Integer numBeams,
        Integer maxNewTokens,
        String generatorPrefix,
        Integer bosTokenId,
        int batchMaxTokens,
        int passageTokens,
        Duration batchTimeBudget,
        List<String> replyTopics,
        RetrievalPlan retrievalPlan,
        boolean priority) {

    /** How retrieved passages reach the generator. */
    public enum GenerationMode {
        /** One generator input per passage, candidates marginalised over passages (Lewis et al. 2020). */
        RAG_SEQUENCE("rag-sequence"),
        /** One generator input per passage, decoded in lock-step, marginalised at every token (Lewis et al. 2020). */
        RAG_TOKEN("rag-token"),
        /** One generator input holding the question and as many top passages as fit. */
        CONCAT("concat");

        private final String label;

        GenerationMode(String label) {
            this.label = label;
        }

        /** The spelling in configuration and answers, e.g. {@code rag-sequence}. */
        public String label() {
            return label;
        }

        public static GenerationMode fromLabel(String label) {
            for (GenerationMode mode : values()) {
                if (mode.label.equalsIgnoreCase(label) || mode.name().equalsIgnoreCase(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown generation mode '" + label
                    + "', expected rag-sequence, rag-token or concat");
        }
    }

    /** RAG-sequence decoding (paper section 2.4). */
    public enum RagDecoding {
        /** Score every candidate under every passage with a forced pass (HF's RagSequenceForGeneration). */
        THOROUGH,
        /** Use only the scores beam search produced; a candidate not generated from a passage gets p = 0 there. */
        FAST
    }

    public static final String EXTRACTIVE = "extractive";

    public QaSettings {
        requireText(applicationId, "applicationId");
        requireText(questionsTopic, "questionsTopic");
        requireText(answersTopic, "answersTopic");
        requireText(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(defaultDeadline, "defaultDeadline");
        Objects.requireNonNull(batchLinger, "batchLinger");
        Objects.requireNonNull(retrievalPlan, "retrievalPlan");
        generatorPrefix = generatorPrefix == null ? "" : generatorPrefix;
        if (maxTopK < 1) {
            throw new IllegalArgumentException("maxTopK must be >= 1, was " + maxTopK);
        }
        if (defaultTopK < 1 || defaultTopK > maxTopK) {
            throw new IllegalArgumentException("defaultTopK must be in [1, " + maxTopK + "], was " + defaultTopK);
        }
        if (maxQuestionChars < 1) {
            throw new IllegalArgumentException("maxQuestionChars must be >= 1, was " + maxQuestionChars);
        }
        if (!(retrievalTemperature > 0)) {
            throw new IllegalArgumentException("retrievalTemperature must be > 0, was " + retrievalTemperature);
        }
        if (defaultDeadline.isNegative() || defaultDeadline.isZero()) {
            throw new IllegalArgumentException("defaultDeadline must be positive, was " + defaultDeadline);
        }
        if (batchMaxSize < 1 || generateBatchSize < 1) {
            throw new IllegalArgumentException("batchMaxSize and generateBatchSize must be >= 1, were " + batchMaxSize
                    + " and " + generateBatchSize);
        }
        if (batchLinger.isNegative() || batchLinger.isZero()) {
            throw new IllegalArgumentException("batchLinger must be positive, was " + batchLinger);
        }
        if (numBeams != null && numBeams < 1) {
            throw new IllegalArgumentException("numBeams must be >= 1, was " + numBeams);
        }
        if (maxNewTokens != null && maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
        }
        if (batchMaxTokens < 1 || passageTokens < 1) {
            throw new IllegalArgumentException("batchMaxTokens and passageTokens must be >= 1, were "
                    + batchMaxTokens + " and " + passageTokens);
        }
        if (batchTimeBudget == null || batchTimeBudget.isNegative() || batchTimeBudget.isZero()) {
            throw new IllegalArgumentException("batchTimeBudget must be positive, was " + batchTimeBudget);
        }
        replyTopics = replyTopics == null ? List.of() : List.copyOf(replyTopics);
    }

    // Copies with a few fields changed. Each names what a caller (mostly a test bed) overrides; all validation
    // runs again in the canonical constructor.

    public QaSettings withTopics(String newQuestionsTopic, String newAnswersTopic, String newDeadLetterTopic) {
        return new QaSettings(applicationId, newQuestionsTopic, newAnswersTopic, newDeadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withMode(GenerationMode newMode) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, newMode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withDecoding(RagDecoding newDecoding) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, newDecoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withRetrieval(int newDefaultTopK, int newMaxTopK, double newScoreThreshold) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                newDefaultTopK, newMaxTopK, maxQuestionChars, newScoreThreshold, retrievalTemperature,
                defaultDeadline, batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens,
                generatorPrefix, bosTokenId, batchMaxTokens, passageTokens, batchTimeBudget, replyTopics,
                retrievalPlan, priority);
    }

    public QaSettings withScoreThreshold(double newScoreThreshold) {
        return withRetrieval(defaultTopK, maxTopK, newScoreThreshold);
    }

    public QaSettings withBatching(int newBatchMaxSize, Duration newBatchLinger) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                newBatchMaxSize, newBatchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix,
                bosTokenId, batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withGenerateBatchSize(int newGenerateBatchSize) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, newGenerateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withDefaultDeadline(Duration newDefaultDeadline) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, newDefaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withGeneration(Integer newNumBeams, Integer newMaxNewTokens, Integer newBosTokenId) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, newNumBeams, newMaxNewTokens, generatorPrefix,
                newBosTokenId, batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withMaxQuestionChars(int newMaxQuestionChars) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, newMaxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    /** The work budget of one batch: tokens, passage size for the estimate, and the time a batch may take. */
    public QaSettings withWorkBudget(int newBatchMaxTokens, int newPassageTokens, Duration newBatchTimeBudget) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                newBatchMaxTokens, newPassageTokens, newBatchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withReplyTopics(List<String> newReplyTopics) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, newReplyTopics, retrievalPlan, priority);
    }

    public QaSettings withRetrievalTemperature(double newTemperature) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, newTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, priority);
    }

    public QaSettings withRetrievalPlan(RetrievalPlan newPlan) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, newPlan, priority);
    }

    public QaSettings withPriority(boolean newPriority) {
        return new QaSettings(applicationId, questionsTopic, answersTopic, deadLetterTopic, mode, decoding,
                defaultTopK, maxTopK, maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline,
                batchMaxSize, batchLinger, generateBatchSize, numBeams, maxNewTokens, generatorPrefix, bosTokenId,
                batchMaxTokens, passageTokens, batchTimeBudget, replyTopics, retrievalPlan, newPriority);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
