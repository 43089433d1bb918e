package io.streamrag.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApplicationHealthTest {

    private final AtomicReference<State> ingest = new AtomicReference<>(State.CREATED);
    private final AtomicLong nanos = new AtomicLong();
    private final ApplicationHealth health = new ApplicationHealth(Duration.ofSeconds(30), nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void readyOnceRunningAndThroughABriefRebalanceButNotALongOne() {
        health.addStreams("ingest", ingest::get);

        ingest.set(State.REBALANCING);
        assertThat(health.readiness().up()).as("joining for the first time").isFalse();
        assertThat(health.readiness().checks().get("streams-ingest").detail()).contains("never RUNNING");

        ingest.set(State.RUNNING);
        assertThat(health.readiness().up()).isTrue();

        ingest.set(State.REBALANCING);
        advance(Duration.ofSeconds(10));
        assertThat(health.readiness().up()).as("a peer joined 10 s ago").isTrue();
        advance(Duration.ofSeconds(25));
        assertThat(health.readiness().up()).as("rebalancing 35 s").isFalse();
        assertThat(health.readiness().checks().get("streams-ingest").detail()).contains("over 30 s");

        ingest.set(State.RUNNING);
        assertThat(health.readiness().up()).isTrue();
        assertThat(health.liveness().up()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = {"ERROR", "PENDING_ERROR", "NOT_RUNNING"})
    void deadInTheStatesStreamsCannotLeave(State state) {
        health.addStreams("qa", ingest::get);
        ingest.set(state);

        HealthReport liveness = health.liveness();

        assertThat(liveness.up()).isFalse();
        assertThat(liveness.checks().get("streams-qa")).isEqualTo(CheckResult.down(state.name()));
        assertThat(health.readiness().up()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = {"CREATED", "REBALANCING", "RUNNING", "PENDING_SHUTDOWN"})
    void aliveInEveryOtherState(State state) {
        health.addStreams("qa", ingest::get);
        ingest.set(state);

        assertThat(health.liveness().up()).isTrue();
    }

    @Test
    void everyInstanceMustBeReadyAndTheStoreReachable() {
        AtomicReference<State> qa = new AtomicReference<>(State.RUNNING);
        AtomicBoolean storeUp = new AtomicBoolean(true);
        health.addStreams("ingest", ingest::get);
        health.addStreams("qa", qa::get);
        health.addVectorStore(new ReachabilityStore(storeUp::get));
        ingest.set(State.RUNNING);
        assertThat(health.readiness().up()).isTrue();

        storeUp.set(false);
        HealthReport readiness = health.readiness();

        assertThat(readiness.up()).isFalse();
        assertThat(readiness.checks()).containsOnlyKeys("streams-ingest", "streams-qa", "vector-store");
        assertThat(readiness.checks().get("vector-store")).isEqualTo(CheckResult.down("not reachable"));
        assertThat(readiness.checks().get("streams-qa").up()).isTrue();
        assertThat(health.liveness().up()).as("a store outage is not cured by a restart").isTrue();
        assertThat(health.liveness().checks()).doesNotContainKey("vector-store");
    }

    @Test
    void twoChecksMayNotShareAName() {
        health.addStreams("ingest", ingest::get);

        assertThatThrownBy(() -> health.addStreams("ingest", ingest::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streams-ingest");
    }

    @Test
    void aCheckThatThrowsIsDownWithTheReason() {
        health.addVectorStore(new ReachabilityStore(() -> {
            throw new IllegalStateException("channel shut down");
        }));

        CheckResult store = health.readiness().checks().get("vector-store");

        assertThat(store.up()).isFalse();
        assertThat(store.detail()).isEqualTo("IllegalStateException: channel shut down");
    }
}
