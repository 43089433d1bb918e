package io.streamrag.inference.worker;

import java.time.Duration;

/**
 * The model's measured speed in padded tokens per second (a moving average over recent batches), to cut batches
 * to a time: how many tokens the model gets through in a given time. Used by the worker thread only.
 */
final class ModelSpeed {
    /** Weight of the newest batch: a few batches after a change of load the estimate has followed it. */
    private static final double NEWEST = 0.3;

    private double tokensPerSecond;

    void record(long paddedTokens, long nanos) {
        if (paddedTokens <= 0 || nanos <= 0) {
            return;
        }
        double speed = paddedTokens * 1e9 / nanos;
        tokensPerSecond = tokensPerSecond == 0 ? speed : NEWEST * speed + (1 - NEWEST) * tokensPerSecond;
    }

    /** Padded tokens the model runs in {@code time}; 0 before any batch was measured. */
    int tokensIn(Duration time) {
        return (int) Math.min(Integer.MAX_VALUE, tokensPerSecond * time.toNanos() / 1e9);
    }
}
