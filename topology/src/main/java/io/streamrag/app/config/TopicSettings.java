package io.streamrag.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Topic names, and how the topics the application creates are laid out.
 *
 * @param cdcSources        {@code topics.cdc}: Debezium topics of tables shaped like the sample {@code documents}
 * @param capturedDocuments compacted topic of the normalised CDC documents, what reindex reads besides documents
 * @param replicationFactor empty: the broker's default
 */
public record TopicSettings(
        String documents,
        List<String> cdcSources,
        String questions,
        String answers,
        String deadLetters,
        String indexUpdates,
        String capturedDocuments,
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
