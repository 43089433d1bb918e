package io.streamrag.inference.worker;

import java.time.Duration;

/**
 * How a {@link BatchingWorker} forms batches and pushes back. At most {@code queueCapacity + lookahead} requests
 * are held at any time.
 *
 * @param maxBatchSize   most requests in one model call
 * @param maxWait        longest the oldest waiting request is held back to let a batch fill up
 * @param maxBatchTokens most padded tokens in one batch (requests x longest request), bounds activation memory;
 *                       a single request longer than this still runs, alone
 * @param queueCapacity  requests that may wait; a full queue makes callers block
 * @param submitTimeout  how long a caller blocks on a full queue before its request fails
 * @param lookahead      waiting requests the worker looks at to group similar lengths (>= maxBatchSize)
 */
public record BatchingSettings(int maxBatchSize, Duration maxWait, int maxBatchTokens, int queueCapacity,
                               Duration submitTimeout, int lookahead) {

    public BatchingSettings {
        if (maxBatchSize < 1 || maxBatchTokens < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxBatchSize, maxBatchTokens and queueCapacity must be >= 1");
        }
        if (maxWait == null || maxWait.isNegative() || submitTimeout == null || submitTimeout.isNegative()) {
            throw new IllegalArgumentException("maxWait and submitTimeout must be >= 0");
        }
        if (lookahead < maxBatchSize) {
            throw new IllegalArgumentException("lookahead " + lookahead + " must be >= maxBatchSize " + maxBatchSize);
        }
    }

    /** 32 per batch, 5 ms wait, 16k padded tokens, 1024 queued, 30 s blocking, grouping among 128. */
    public static BatchingSettings defaults() {
        return new BatchingSettings(32, Duration.ofMillis(5), 16_384, 1024, Duration.ofSeconds(30), 128);
    }

    public BatchingSettings withMaxBatchSize(int value) {
        return new BatchingSettings(value, maxWait, maxBatchTokens, queueCapacity, submitTimeout,
                Math.max(lookahead, value));
    }

    public BatchingSettings withMaxWait(Duration value) {
        return new BatchingSettings(maxBatchSize, value, maxBatchTokens, queueCapacity, submitTimeout, lookahead);
    }

    public BatchingSettings withQueueCapacity(int value) {
        return new BatchingSettings(maxBatchSize, maxWait, maxBatchTokens, value, submitTimeout, lookahead);
    }

    public BatchingSettings withSubmitTimeout(Duration value) {
        return new BatchingSettings(maxBatchSize, maxWait, maxBatchTokens, queueCapacity, value, lookahead);
    }

    public BatchingSettings withLookahead(int value) {
        return new BatchingSettings(maxBatchSize, maxWait, maxBatchTokens, queueCapacity, submitTimeout, value);
    }
}
