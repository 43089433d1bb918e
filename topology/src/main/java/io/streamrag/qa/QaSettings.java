package io.streamrag.qa;

import io.streamrag.store.RetrievalPlan;
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
 * @param batchMaxTokens work budget of one batch: a question costs its own tokens plus top-k x {@code passageTokens}
 * @param passageTokens tokens of one retrieved passage, for that estimate (the ingest's chunk size)
 * @param batchTimeBudget a batch is also cut to what the measured speed finishes in this time (half the
 *     transaction timeout), so slow inference never outlives its transaction
 * @param replyTopics topics (or prefixes ending in {@code *}) a question's replyTo may name; empty = the answers
 *     topic and its name as prefix
 * @param retrievalPlan how passages are retrieved: hybrid (dense + BM25, fused), dense or keyword, leg depths, RRF
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
        Integer bosTokenId,
        int batchMaxTokens,
        int passageTokens,
        Duration batchTimeBudget,
        java.util.List<String> replyTopics,
        RetrievalPlan retrievalPlan) {

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
        if (batchMaxTokens < 1 || passageTokens < 1) {
            throw new IllegalArgumentException("batchMaxTokens and passageTokens must be >= 1, were "
                    + batchMaxTokens + " and " + passageTokens);
        }
        if (batchTimeBudget == null || batchTimeBudget.isNegative() || batchTimeBudget.isZero()) {
            throw new IllegalArgumentException("batchTimeBudget must be positive, was " + batchTimeBudget);
        }
        replyTopics = replyTopics == null ? java.util.List.of() : java.util.List.copyOf(replyTopics);
    }

    /**
     * The defaults documented in the configuration table, on the given topics; except the token budget, which is
     * unbounded here (only the measured time budget cuts batches) and set from {@code qa.batch.max.tokens} by
     * {@link QaConfiguration}.
     */
    public static QaSettings defaults(String questionsTopic, String answersTopic, String deadLetterTopic) {
        return new Builder(new QaSettings(questionsTopic, answersTopic, deadLetterTopic, GenerationMode.RAG_SEQUENCE,
                RagDecoding.THOROUGH, 5, 50, 2_000, 0.0, 1.0, Duration.ofSeconds(30), 32, Duration.ofMillis(5),
                null, null, "", null, Integer.MAX_VALUE, 256, Duration.ofSeconds(30), java.util.List.of(), RetrievalPlan.hybrid())).build();
    }

    public QaSettings withMode(GenerationMode newMode) {
        return toBuilder().mode(newMode).build();
    }

    public QaSettings withDecoding(RagDecoding newDecoding) {
        return toBuilder().decoding(newDecoding).build();
    }

    public QaSettings withRetrieval(int newDefaultTopK, int newMaxTopK, double newScoreThreshold) {
        return toBuilder().topK(newDefaultTopK, newMaxTopK).scoreThreshold(newScoreThreshold).build();
    }

    public QaSettings withBatching(int newBatchMaxSize, Duration newBatchLinger) {
        return toBuilder().batching(newBatchMaxSize, newBatchLinger).build();
    }

    public QaSettings withDefaultDeadline(Duration newDefaultDeadline) {
        return toBuilder().defaultDeadline(newDefaultDeadline).build();
    }

    public QaSettings withGeneration(Integer newNumBeams, Integer newMaxNewTokens, Integer newBosTokenId) {
        return toBuilder().generation(newNumBeams, newMaxNewTokens, newBosTokenId).build();
    }

    public QaSettings withMaxQuestionChars(int newMaxQuestionChars) {
        return toBuilder().maxQuestionChars(newMaxQuestionChars).build();
    }

    /** The work budget of one batch: tokens, passage size for the estimate, and the time a batch may take. */
    public QaSettings withWorkBudget(int newBatchMaxTokens, int newPassageTokens, Duration newBatchTimeBudget) {
        Builder builder = toBuilder();
        builder.batchMaxTokens = newBatchMaxTokens;
        builder.passageTokens = newPassageTokens;
        builder.batchTimeBudget = newBatchTimeBudget;
        return builder.build();
    }

    public QaSettings withReplyTopics(java.util.List<String> newReplyTopics) {
        Builder builder = toBuilder();
        builder.replyTopics = newReplyTopics;
        return builder.build();
    }

    public QaSettings withRetrievalTemperature(double newTemperature) {
        return toBuilder().retrievalTemperature(newTemperature).build();
    }

    public QaSettings withRetrievalPlan(RetrievalPlan newPlan) {
        return toBuilder().retrievalPlan(newPlan).build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with some fields changed; validation runs again in {@link #build()}. */
    private static final class Builder {
        private final String questionsTopic;
        private final String answersTopic;
        private final String deadLetterTopic;
        private GenerationMode mode;
        private RagDecoding decoding;
        private int defaultTopK;
        private int maxTopK;
        private int maxQuestionChars;
        private double scoreThreshold;
        private double retrievalTemperature;
        private Duration defaultDeadline;
        private int batchMaxSize;
        private Duration batchLinger;
        private Integer numBeams;
        private Integer maxNewTokens;
        private final String generatorPrefix;
        private Integer bosTokenId;
        private int batchMaxTokens;
        private int passageTokens;
        private Duration batchTimeBudget;
        private java.util.List<String> replyTopics;
        private RetrievalPlan retrievalPlan;

        Builder(QaSettings from) {
            questionsTopic = from.questionsTopic;
            answersTopic = from.answersTopic;
            deadLetterTopic = from.deadLetterTopic;
            mode = from.mode;
            decoding = from.decoding;
            defaultTopK = from.defaultTopK;
            maxTopK = from.maxTopK;
            maxQuestionChars = from.maxQuestionChars;
            scoreThreshold = from.scoreThreshold;
            retrievalTemperature = from.retrievalTemperature;
            defaultDeadline = from.defaultDeadline;
            batchMaxSize = from.batchMaxSize;
            batchLinger = from.batchLinger;
            numBeams = from.numBeams;
            maxNewTokens = from.maxNewTokens;
            generatorPrefix = from.generatorPrefix;
            bosTokenId = from.bosTokenId;
            batchMaxTokens = from.batchMaxTokens;
            passageTokens = from.passageTokens;
            batchTimeBudget = from.batchTimeBudget;
            replyTopics = from.replyTopics;
            retrievalPlan = from.retrievalPlan;
        }

        Builder mode(GenerationMode value) {
            mode = value;
            return this;
        }

        Builder decoding(RagDecoding value) {
            decoding = value;
            return this;
        }

        Builder topK(int defaultValue, int maxValue) {
            defaultTopK = defaultValue;
            maxTopK = maxValue;
            return this;
        }

        Builder scoreThreshold(double value) {
            scoreThreshold = value;
            return this;
        }

        Builder batching(int maxSize, Duration linger) {
            batchMaxSize = maxSize;
            batchLinger = linger;
            return this;
        }

        Builder defaultDeadline(Duration value) {
            defaultDeadline = value;
            return this;
        }

        Builder generation(Integer beams, Integer newTokens, Integer bos) {
            numBeams = beams;
            maxNewTokens = newTokens;
            bosTokenId = bos;
            return this;
        }

        Builder maxQuestionChars(int value) {
            maxQuestionChars = value;
            return this;
        }

        Builder retrievalPlan(RetrievalPlan value) {
            retrievalPlan = value;
            return this;
        }

        Builder retrievalTemperature(double value) {
            retrievalTemperature = value;
            return this;
        }

        QaSettings build() {
            return new QaSettings(questionsTopic, answersTopic, deadLetterTopic, mode, decoding, defaultTopK, maxTopK,
                    maxQuestionChars, scoreThreshold, retrievalTemperature, defaultDeadline, batchMaxSize,
                    batchLinger, numBeams, maxNewTokens, generatorPrefix, bosTokenId, batchMaxTokens, passageTokens,
                    batchTimeBudget, replyTopics, retrievalPlan);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
