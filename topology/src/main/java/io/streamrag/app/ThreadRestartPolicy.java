package io.streamrag.app;

import io.streamrag.kafka.deadletter.InfrastructureFailure;
import io.streamrag.kafka.deadletter.RecordRetryException;
import java.time.Duration;

/**
 * When a dependency (vector store, registry, model) fails after its own retries, the stream thread is replaced rather
 * than the role stopped: under exactly_once_v2 the failed transaction aborts, the replacement restores the pending
 * batch from its changelog and applies it again, idempotently. Pauses between replacements grow while failures repeat
 * (so an outage does not spin), and reset once a thread has run for a while without failing.
 */
final class ThreadRestartPolicy {

    static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final Duration CALM_AFTER = Duration.ofMinutes(2);

    private Duration last = Duration.ZERO;
    private long lastFailureNanos;

    /**
     * True when the failure, or anything in its cause chain, is an {@link InfrastructureFailure} or a record to be
     * tried again before quarantine ({@link RecordRetryException}, counted in the {@code FailureLedger}).
     */
    static boolean isInfrastructureFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InfrastructureFailure || t instanceof RecordRetryException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    synchronized Duration nextPause() {
        long now = System.nanoTime();
        boolean calmSinceLast = lastFailureNanos != 0 && now - lastFailureNanos > CALM_AFTER.toNanos();
        last = last.isZero() || calmSinceLast ? FIRST_PAUSE : min(last.multipliedBy(2), MAX_PAUSE);
        lastFailureNanos = now;
        return last;
    }

    void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
