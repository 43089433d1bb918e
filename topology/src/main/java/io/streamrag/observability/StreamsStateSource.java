package io.streamrag.observability;

import org.apache.kafka.streams.KafkaStreams;

/** Where health reads a Kafka Streams instance's state: {@link KafkaStreams#state()}, or a stand-in in tests. */
@FunctionalInterface
public interface StreamsStateSource {

    KafkaStreams.State state();

    static StreamsStateSource of(KafkaStreams streams) {
        return streams::state;
    }
}
