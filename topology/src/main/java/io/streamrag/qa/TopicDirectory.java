package io.streamrag.qa;

/**
 * Whether a topic exists. Asked before an answer is routed to a question's {@code replyTo}: the producer would
 * otherwise wait {@code max.block.ms} (60 s) for the metadata of a missing topic, stalling every other answer, and
 * then fail the stream thread.
 */
@FunctionalInterface
public interface TopicDirectory {

    /** For tests and topologies without a broker to ask: every topic is taken to exist. */
    TopicDirectory ASSUME_EXISTING = topic -> true;

    /**
     * @throws io.streamrag.kafka.deadletter.InfrastructureFailure when the cluster cannot say (not the question's fault)
     */
    boolean exists(String topic);
}
