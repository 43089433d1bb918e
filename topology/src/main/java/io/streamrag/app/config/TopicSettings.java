package io.streamrag.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Topic names, and how the topics the application creates are laid out.
 *
 * @param replicationFactor empty: the broker's default
 */
public record TopicSettings(
        String documents,
        List<String> cdcSources,
        String questions,
        String answers,
        String deadLetters,
        String indexUpdates,
        int partitions,
        Optional<Short> replicationFactor,
        boolean create,
        Duration questionsRetention,
        Duration answersRetention,
        Duration deadLettersRetention,
        Duration indexUpdatesRetention) {

    public TopicSettings {
        cdcSources = List.copyOf(cdcSources);
    }
}
