package io.streamrag.store.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.streamrag.store.VectorStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retry loop on a fake clock: which errors are retried, how the waits grow, when it gives up. */
class TransientRetryTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void returnsTheResultAfterTransientFailures() {
        TransientRetry retry = retry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofSeconds(1), 0), 0.5);
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.call("test", failingTimes(3, Status.Code.UNAVAILABLE, "done", attempts));

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(4);
        assertThat(clock.sleeps).containsExactly(100L, 200L, 400L);
    }

    @Test
    void capsTheBackoff() {
        TransientRetry retry = retry(new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(100),
                Duration.ofMillis(300), 0), 0.5);

        retry.call("test", failingTimes(5, Status.Code.DEADLINE_EXCEEDED, "done", new AtomicInteger()));

        assertThat(clock.sleeps).containsExactly(100L, 200L, 300L, 300L, 300L);
    }

    @Test
    void jitterSpreadsTheWaitsWithinTheConfiguredFraction() {
        TransientRetry low = retry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofSeconds(1), 0.2), 0.0);
        low.call("test", failingTimes(1, Status.Code.ABORTED, "done", new AtomicInteger()));
        TransientRetry high = retry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofSeconds(1), 0.2), 1.0);
        high.call("test", failingTimes(1, Status.Code.ABORTED, "done", new AtomicInteger()));

        assertThat(clock.sleeps).containsExactly(80L, 120L);
    }

    @Test
    void givesUpWhenTheBudgetIsSpent() {
        TransientRetry retry = retry(new RetryPolicy(Duration.ofMillis(1000), Duration.ofMillis(100),
                Duration.ofMillis(400), 0), 0.5);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call("upsert of document 7",
                failingTimes(Integer.MAX_VALUE, Status.Code.UNAVAILABLE, "never", attempts)))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("upsert of document 7")
                .hasMessageContaining("UNAVAILABLE")
                .hasMessageContaining("attempt(s)")
                .hasMessageContaining("retry budget 1000 ms");
        // waits 100 + 200 + 400 + 300 (the rest of the budget) = 1000 ms, then the 5th failure ends it
        assertThat(clock.sleeps).containsExactly(100L, 200L, 400L, 300L);
        assertThat(attempts).hasValue(5);
        assertThat(clock.nanos).isEqualTo(Duration.ofMillis(1000).toNanos());
    }

    @Test
    void failsAtOnceOnErrorsThatAreNotTransient() {
        TransientRetry retry = retry(RetryPolicy.defaults(), 0.5);
        for (Status.Code code : List.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT,
                Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED, Status.Code.INTERNAL)) {
            AtomicInteger attempts = new AtomicInteger();

            assertThatThrownBy(() -> retry.call("op", failingTimes(1, code, "x", attempts)))
                    .isInstanceOf(VectorStoreException.class)
                    .hasMessageContaining(code.name());
            assertThat(attempts).as(code.name()).hasValue(1);
        }
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void noRetryPolicyFailsOnTheFirstTransientError() {
        TransientRetry retry = retry(RetryPolicy.none(), 0.5);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> retry.call("op", failingTimes(1, Status.Code.UNAVAILABLE, "x", attempts)))
                .isInstanceOf(VectorStoreException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void policiesRejectNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1),
                0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofSeconds(1),
                1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private TransientRetry retry(RetryPolicy policy, double random) {
        return new TransientRetry(policy, () -> clock.nanos, clock::sleep, () -> random);
    }

    private static <T> Supplier<ListenableFuture<T>> failingTimes(int failures, Status.Code code, T result,
                                                                  AtomicInteger attempts) {
        return () -> attempts.incrementAndGet() <= failures
                ? Futures.immediateFailedFuture(Status.fromCode(code).withDescription("injected").asRuntimeException())
                : Futures.immediateFuture(result);
    }

    /** Time passes only when the retry sleeps. */
    private static final class FakeClock {
        long nanos;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long millis) {
            sleeps.add(millis);
            nanos += Duration.ofMillis(millis).toNanos();
        }
    }
}
