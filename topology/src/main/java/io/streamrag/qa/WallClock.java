package io.streamrag.qa;

/**
 * Milliseconds since the epoch. The system clock in production; tests drive a mock one. Not Kafka Streams'
 * {@code currentSystemTimeMs()}: that is cached per poll-loop iteration and can lag by a whole batch's work, which
 * would hide queueing and processing time from the answers' timings and deadlines.
 */
@FunctionalInterface
public interface WallClock {

    long nowMs();

    static WallClock system() {
        return System::currentTimeMillis;
    }
}
