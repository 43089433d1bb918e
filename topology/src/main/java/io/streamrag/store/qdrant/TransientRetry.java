package io.streamrag.store.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.streamrag.store.VectorStoreException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Qdrant call, retrying the gRPC errors that say "try again" (server unavailable, deadline exceeded,
 * overloaded, aborted) under a {@link RetryPolicy}. Anything else, and transient errors that outlast the policy,
 * become a {@link VectorStoreException} naming the operation: never swallowed, never a silent partial write (every
 * write this store makes is idempotent, so repeating one is safe).
 */
final class TransientRetry {

    static final Set<Status.Code> TRANSIENT = EnumSet.of(
            Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED);

    private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);

    private final RetryPolicy policy;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    TransientRetry(RetryPolicy policy) {
        this(policy, System::nanoTime, Thread::sleep, () -> ThreadLocalRandom.current().nextDouble());
    }

    TransientRetry(RetryPolicy policy, LongSupplier nanoClock, Sleeper sleeper, DoubleSupplier random) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * Calls {@code call} until it succeeds, fails for good, or the policy's time is spent.
     *
     * @param operation what the call does, for the error message (e.g. "upsert of document 42 into docs")
     */
    <T> T call(String operation, Supplier<ListenableFuture<T>> call) {
        long start = nanoClock.getAsLong();
        long deadline = start + policy.maxElapsed().toNanos();
        long backoff = policy.initialBackoff().toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            Throwable failure;
            try {
                return call.get().get();
            } catch (ExecutionException e) {
                failure = e.getCause() == null ? e : e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VectorStoreException("Interrupted during Qdrant " + operation, e);
            } catch (RuntimeException e) {
                failure = e; // the client can fail before a future exists (e.g. a closed channel)
            }
            Status status = Status.fromThrowable(failure);
            if (!TRANSIENT.contains(status.getCode())) {
                throw new VectorStoreException("Qdrant " + operation + " failed: " + describe(status), failure);
            }
            long now = nanoClock.getAsLong();
            long remaining = deadline - now;
            if (remaining <= 0) {
                throw new VectorStoreException("Qdrant " + operation + " failed after " + attempt + " attempt(s) in "
                        + Duration.ofNanos(now - start).toMillis() + " ms (retry budget "
                        + policy.maxElapsed().toMillis() + " ms): " + describe(status), failure);
            }
            long wait = Math.min(jittered(backoff), remaining);
            LOG.warn("Qdrant {} failed with {} (attempt {}), retrying in {} ms", operation, status.getCode(),
                    attempt, Duration.ofNanos(wait).toMillis());
            sleep(operation, wait);
            backoff = Math.min(backoff * 2, policy.maxBackoff().toNanos());
        }
    }

    private long jittered(long backoff) {
        double factor = 1 + policy.jitter() * (2 * random.getAsDouble() - 1);
        return Math.max(0, (long) (backoff * factor));
    }

    private void sleep(String operation, long nanos) {
        try {
            sleeper.sleep(Duration.ofNanos(nanos).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VectorStoreException("Interrupted while waiting to retry Qdrant " + operation, e);
        }
    }

    private static String describe(Status status) {
        return status.getDescription() == null
                ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }
}
