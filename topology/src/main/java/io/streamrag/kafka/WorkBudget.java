package io.streamrag.kafka;

import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * How much work one batch may take. Under exactly-once a batch's inference runs inside the open transaction: a batch
 * that outlives {@code transaction.timeout.ms} is fenced, its results are thrown away, and the same batch is
 * replayed and fenced again. So a batch is cut to a configured number of tokens and, once the speed of this machine
 * is measured, to what it finishes within a time budget (half the transaction timeout). One item always fits: a
 * single item too large for the budget still has to be processed.
 *
 * <p>Shared by the stream threads of a role (they share the model), hence synchronised.
 */
public final class WorkBudget {

    private final long maxTokens;
    private final long timeBudgetNanos;
    private double nanosPerToken;

    public WorkBudget(long maxTokens, Duration timeBudget) {
        if (maxTokens < 1 || timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("a work budget needs positive tokens and time, was " + maxTokens
                    + " tokens in " + timeBudget);
        }
        this.maxTokens = maxTokens;
        this.timeBudgetNanos = timeBudget.toNanos();
    }

    /** Tokens the next batch may hold: the configured cap, lowered to what the measured speed allows in time. */
    public synchronized long allowance() {
        if (nanosPerToken <= 0) {
            return maxTokens;
        }
        return Math.max(1, Math.min(maxTokens, (long) (timeBudgetNanos / nanosPerToken)));
    }

    /**
     * A finished batch: {@code tokens} took {@code elapsed}. The estimate follows slow-downs at once (the slower of
     * the new and the smoothed speed) and speed-ups gradually, so a busy machine shrinks batches before they fence.
     */
    public synchronized void record(long tokens, Duration elapsed) {
        if (tokens <= 0) {
            return;
        }
        double observed = (double) elapsed.toNanos() / tokens;
        nanosPerToken = nanosPerToken <= 0 ? observed : Math.max(observed, 0.7 * nanosPerToken + 0.3 * observed);
    }

    /** How many items from the head of {@code items} fit in {@code allowance} tokens; at least one when any. */
    public static <T> int fitting(List<T> items, ToLongFunction<T> tokens, long allowance) {
        long used = 0;
        for (int i = 0; i < items.size(); i++) {
            used += tokens.applyAsLong(items.get(i));
            if (used > allowance) {
                return Math.max(1, i);
            }
        }
        return items.size();
    }
}
