package io.streamrag.store.qdrant;

import java.time.Duration;
import java.util.Objects;

/**
 * How long transient Qdrant errors are ridden out: capped exponential backoff with jitter, for at most
 * {@code maxElapsed} in all. After that the call fails, so the topology stops instead of committing past a write that
 * did not happen.
 *
 * @param maxElapsed     total time budget of one operation, attempts and waits together
 * @param initialBackoff wait after the first failure
 * @param maxBackoff     cap of the doubling wait
 * @param jitter         fraction (0..1) by which each wait is randomly shortened or lengthened, so that many clients
 *                       that failed together do not retry together
 */
public record RetryPolicy(Duration maxElapsed, Duration initialBackoff, Duration maxBackoff, double jitter) {

    public RetryPolicy {
        Objects.requireNonNull(maxElapsed, "maxElapsed");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxElapsed.isNegative() || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("Retry durations must be positive: maxElapsed=" + maxElapsed
                    + ", initialBackoff=" + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff "
                    + initialBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
        }
    }

    /** Two minutes of retries, 200 ms doubling up to 10 s, ±20 %: rides out a Qdrant restart or a leader change. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMinutes(2), Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);
    }

    /** No retries at all: the first transient error fails the call. */
    public static RetryPolicy none() {
        return new RetryPolicy(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1), 0);
    }
}
