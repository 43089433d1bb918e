package io.streamrag.observability;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams.State;

/**
 * The health of one Kafka Streams instance, read from its state.
 *
 * <p>Live unless ERROR, PENDING_ERROR or NOT_RUNNING: in those it will process nothing more and only a restart helps
 * (ERROR is where Streams ends after a fatal error; NOT_RUNNING is reachable only through {@code close()}, and an
 * instance registered for health is one the app means to run). CREATED, REBALANCING and PENDING_SHUTDOWN are live.
 *
 * <p>Ready when RUNNING. Also ready when REBALANCING if it was seen RUNNING less than the grace period ago: every
 * scale-out, restart of a peer or deploy rebalances the whole group, and marking every instance unready for those
 * seconds would fail rollouts for no fault. An instance that has never been RUNNING (still joining, or unable to
 * reach the brokers) is not ready, nor one stuck rebalancing past the grace.
 */
final class StreamsHealth {

    private final StreamsStateSource source;
    private final long graceNanos;
    private final LongSupplier nanoClock;
    private volatile long lastRunningNanos;
    private volatile boolean seenRunning;

    StreamsHealth(StreamsStateSource source, Duration rebalanceGrace, LongSupplier nanoClock) {
        this.source = source;
        this.graceNanos = rebalanceGrace.toNanos();
        this.nanoClock = nanoClock;
    }

    CheckResult liveness() {
        State state = observe();
        return switch (state) {
            case ERROR, PENDING_ERROR, NOT_RUNNING -> CheckResult.down(state.name());
            default -> CheckResult.up(state.name());
        };
    }

    CheckResult readiness() {
        State state = observe();
        if (state == State.RUNNING) {
            return CheckResult.up(state.name());
        }
        if (state == State.REBALANCING && seenRunning) {
            long sinceRunning = nanoClock.getAsLong() - lastRunningNanos;
            if (sinceRunning < graceNanos) {
                return CheckResult.up("REBALANCING, RUNNING " + Duration.ofNanos(sinceRunning).toMillis() + " ms ago");
            }
            return CheckResult.down("REBALANCING for over " + Duration.ofNanos(graceNanos).toSeconds() + " s");
        }
        if (state == State.REBALANCING) {
            return CheckResult.down("REBALANCING, never RUNNING yet");
        }
        return CheckResult.down(state.name());
    }

    /** Reads the state, remembering when it was last RUNNING (either probe counts). */
    private State observe() {
        State state = source.state();
        if (state == State.RUNNING) {
            lastRunningNanos = nanoClock.getAsLong();
            seenRunning = true;
        }
        return state;
    }
}
