package io.streamrag.inference.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Picks the next batch from the waiting requests. The oldest request always goes (nobody starves); the others are
 * those closest to it in length, so little of the batch is padding, as long as the batch stays within its size and
 * padded-token budget.
 */
final class BatchPlanner {
    private final int maxBatchSize;
    private final int maxBatchTokens;

    BatchPlanner(int maxBatchSize, int maxBatchTokens) {
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
    }

    /** True when the waiting requests can already fill a batch, so waiting longer gains nothing. */
    <T> boolean canFill(List<T> waiting, ToIntFunction<T> length) {
        return canFill(waiting, length, maxBatchTokens);
    }

    /** As {@link #canFill(List, ToIntFunction)}, with a token budget below the planner's own for this batch. */
    <T> boolean canFill(List<T> waiting, ToIntFunction<T> length, int tokenBudget) {
        int budget = Math.min(tokenBudget, maxBatchTokens);
        if (waiting.size() >= maxBatchSize) {
            return true;
        }
        int longest = 0;
        for (T t : waiting) {
            longest = Math.max(longest, length.applyAsInt(t));
        }
        return (long) longest * waiting.size() >= budget;
    }

    /**
     * Removes the chosen requests from {@code waiting} (oldest first) and returns them in arrival order.
     */
    <T> List<T> take(List<T> waiting, ToIntFunction<T> length) {
        return take(waiting, length, maxBatchTokens);
    }

    /**
     * As {@link #take(List, ToIntFunction)}, with a padded-token budget below the planner's own for this batch (the
     * oldest request still goes, alone if it alone exceeds the budget).
     */
    <T> List<T> take(List<T> waiting, ToIntFunction<T> length, int tokenBudget) {
        int budget = Math.min(tokenBudget, maxBatchTokens);
        T oldest = waiting.get(0);
        int anchor = length.applyAsInt(oldest);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 1; i < waiting.size(); i++) {
            candidates.add(i);
        }
        candidates.sort(Comparator.comparingInt(i -> Math.abs(length.applyAsInt(waiting.get(i)) - anchor)));

        List<Integer> chosen = new ArrayList<>();
        chosen.add(0);
        int longest = anchor;
        for (int i : candidates) {
            if (chosen.size() == maxBatchSize) {
                break;
            }
            int newLongest = Math.max(longest, length.applyAsInt(waiting.get(i)));
            if ((long) newLongest * (chosen.size() + 1) > budget) {
                continue;
            }
            longest = newLongest;
            chosen.add(i);
        }
        chosen.sort(Comparator.naturalOrder());
        List<T> batch = new ArrayList<>(chosen.size());
        for (int i : chosen) {
            batch.add(waiting.get(i));
        }
        for (int k = chosen.size() - 1; k >= 0; k--) {
            waiting.remove((int) chosen.get(k));
        }
        return batch;
    }
}
