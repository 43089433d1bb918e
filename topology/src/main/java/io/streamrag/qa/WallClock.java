package io.streamrag.qa;

/** Milliseconds since the epoch; the processor's stream-time-aware clock in production, a mock one in tests. */
@FunctionalInterface
public interface WallClock {
    long nowMs();
}
