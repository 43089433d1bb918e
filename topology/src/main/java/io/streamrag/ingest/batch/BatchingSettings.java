package io.streamrag.ingest.batch;

import java.time.Duration;

/**
 * How pending changes are gathered into batches for the embedder.
 *
 * @param maxDocuments  a batch is flushed as soon as it holds this many documents
 * @param linger        ... or once its oldest change has waited this long (checked by a wall-clock punctuation
 *                      every half linger, so it is also the latency a lone change pays)
 * @param maxEmbedTexts most chunk texts per {@code TextEmbedder.embed} call; a larger batch is embedded in slices
 * @param maxTokens     work budget of one batch in embedder tokens (a single larger document still goes alone)
 * @param timeBudget    a batch is also cut to what the measured embedding speed finishes in this time: half the
 *                      transaction timeout, so that no batch outlives the transaction that carries it
 * @param embedOverlap  the next batch is embedded (off the stream thread) while the previous one is written to the
 *                      store, its updates emitted and the offsets committed; off, every batch is embedded on the
 *                      stream thread when it is flushed
 */
public record BatchingSettings(int maxDocuments, Duration linger, int maxEmbedTexts, long maxTokens,
                               Duration timeBudget, boolean embedOverlap) {

    public BatchingSettings {
        if (maxTokens < 1 || timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("a batch needs a positive token and time budget, was " + maxTokens
                    + " tokens in " + timeBudget);
        }
        if (maxDocuments <= 0 || maxEmbedTexts <= 0) {
            throw new IllegalArgumentException("batch sizes must be positive: max documents " + maxDocuments
                    + ", max embed texts " + maxEmbedTexts);
        }
        if (linger == null || linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("batch linger must be positive, was " + linger);
        }
    }

    /** A copy flushed at {@code newMaxDocuments} changes or after {@code newLinger}. */
    public BatchingSettings withSize(int newMaxDocuments, Duration newLinger) {
        return new BatchingSettings(newMaxDocuments, newLinger, maxEmbedTexts, maxTokens, timeBudget, embedOverlap);
    }

    public BatchingSettings withMaxEmbedTexts(int newMaxEmbedTexts) {
        return new BatchingSettings(maxDocuments, linger, newMaxEmbedTexts, maxTokens, timeBudget, embedOverlap);
    }

    public BatchingSettings withMaxTokens(long newMaxTokens) {
        return new BatchingSettings(maxDocuments, linger, maxEmbedTexts, newMaxTokens, timeBudget, embedOverlap);
    }

    /** A copy with embedding ahead of the store writes on or off. */
    public BatchingSettings withEmbedOverlap(boolean overlap) {
        return new BatchingSettings(maxDocuments, linger, maxEmbedTexts, maxTokens, timeBudget, overlap);
    }

    /** How often the punctuation looks at the buffer. */
    public Duration punctuationInterval() {
        return linger.dividedBy(2).compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : linger.dividedBy(2);
    }
}
