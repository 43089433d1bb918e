package io.streamrag.ingest.batch;

import java.time.Duration;

/**
 * How pending changes are gathered into batches for the embedder.
 *
 * @param maxDocuments  a batch is flushed as soon as it holds this many documents
 * @param linger        ... or once its oldest change has waited this long (checked by a wall-clock punctuation
 *                      every half linger, so it is also the latency a lone change pays)
 * @param maxEmbedTexts most chunk texts per {@code TextEmbedder.embed} call; a larger batch is embedded in slices
 */
public record BatchingSettings(int maxDocuments, Duration linger, int maxEmbedTexts) {

    public static final BatchingSettings DEFAULTS = new BatchingSettings(64, Duration.ofMillis(10), 256);

    public BatchingSettings {
        if (maxDocuments <= 0 || maxEmbedTexts <= 0) {
            throw new IllegalArgumentException("batch sizes must be positive: max documents " + maxDocuments
                    + ", max embed texts " + maxEmbedTexts);
        }
        if (linger == null || linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("batch linger must be positive, was " + linger);
        }
    }

    /** How often the punctuation looks at the buffer. */
    public Duration punctuationInterval() {
        return linger.dividedBy(2).compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : linger.dividedBy(2);
    }
}
