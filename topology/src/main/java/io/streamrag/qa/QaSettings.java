package io.streamrag.qa;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the QA topology reads from configuration, validated once at construction.
 *
 * @param questionsTopic where questions arrive
 * @param answersTopic where answers go (a question's {@code replyTo} overrides it for that question)
 * @param deadLetterTopic where rejected or failed questions go, with the reason
 * @param mode how the generator is used; ignored when no generator is configured (then extractive)
 * @param decoding rag-sequence only: thorough (rescore every candidate under every document) or fast
 * @param defaultTopK passages retrieved when a question gives no top-k
 * @param maxTopK largest top-k a question may ask for (the smallest is 1)
 * @param maxQuestionChars longer questions are rejected as INVALID
 * @param scoreThreshold passages scoring at or below it are not retrieved; none left means NO_CONTEXT
 * @param retrievalTemperature p(d|x) = softmax(score / temperature); 1.0 is the paper's plain softmax
 * @param defaultDeadline answer deadline, from the question's requestedAt, when the question gives none
 * @param batchMaxSize a batch is answered as soon as this many questions wait
 * @param batchLinger how long the first waiting question may wait for others (wall-clock punctuation interval)
 * @param numBeams beams per generator input; null = the generator's own default
 * @param maxNewTokens generated tokens at most; null = the generator's own default max length
 * @param generatorPrefix HF's generator {@code config.prefix} put before each rag-sequence input (empty for BART)
 * @param bosTokenId rag-sequence thorough: the BOS id whose score HF leaves out ({@code exclude_bos_score});
 *     null = the generator's forced BOS id
 */
public record QaSettings(
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
        Integer numBeams,
        Integer maxNewTokens,
        String generatorPrefix,
        Integer bosTokenId) {

    /** How retrieved passages reach the generator. */
    public enum GenerationMode {
        /** One generator input per passage, candidates marginalised over passages (Lewis et al. 2020). */
        RAG_SEQUENCE("rag-sequence"),
        /** One generator input holding the question and as many top passages as fit. */
        CONCAT("concat");

        private final String label;

        GenerationMode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static GenerationMode fromLabel(String label) {
            for (GenerationMode mode : values()) {
                if (mode.label.equalsIgnoreCase(label) || mode.name().equalsIgnoreCase(label)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown generation mode '" + label + "', expected rag-sequence or concat");
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
        requireText(questionsTopic, "questionsTopic");
        requireText(answersTopic, "answersTopic");
        requireText(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(decoding, "decoding");
        Objects.requireNonNull(defaultDeadline, "defaultDeadline");
        Objects.requireNonNull(batchLinger, "batchLinger");
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
        if (batchMaxSize < 1) {
            throw new IllegalArgumentException("batchMaxSize must be >= 1, was " + batchMaxSize);
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
    }

    /** The defaults documented in the configuration table, on the given topics. */
    public static QaSettings defaults(String questionsTopic, String answersTopic, String deadLetterTopic) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, GenerationMode.RAG_SEQUENCE,
                RagDecoding.THOROUGH, 5, 50, 2_000, 0.0, 1.0, Duration.ofSeconds(30), 32, Duration.ofMillis(5),
                null, null, "", null);
    }

    public QaSettings withMode(GenerationMode newMode) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, newMode, decoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withDecoding(RagDecoding newDecoding) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, newDecoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withRetrieval(int newDefaultTopK, int newMaxTopK, double newScoreThreshold) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, newDefaultTopK, newMaxTopK,
                maxQuestionChars, newScoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withBatching(int newBatchMaxSize, Duration newBatchLinger) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, newBatchMaxSize, newBatchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withDefaultDeadline(Duration newDefaultDeadline) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, retrievalTemperature, newDefaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withGeneration(Integer newNumBeams, Integer newMaxNewTokens, Integer newBosTokenId) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize, batchLinger,
                newNumBeams, newMaxNewTokens, generatorPrefix, newBosTokenId);
    }

    public QaSettings withMaxQuestionChars(int newMaxQuestionChars) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                newMaxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    public QaSettings withRetrievalTemperature(double newTemperature) {
        return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                maxQuestionChars, scoreThreshold, newTemperature, defaultDeadline, batchMaxSize, batchLinger,
                numBeams, maxNewTokens, generatorPrefix, bosTokenId);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
