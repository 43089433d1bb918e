package io.streamrag.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.streamrag.app.config.TopicSettings;
import io.streamrag.kafka.TopicSpec;
import org.apache.kafka.common.config.TopicConfig;

/** The topics the application reads and writes, with their layout. */
public final class AppTopics {

    private AppTopics() {
    }

    /**
     * Documents are compacted: the latest change per document id is the state to index from. Questions, answers,
     * dead letters and index updates are events, kept for a retention period. CDC source topics are normally
     * created by Debezium; they are created here (plain delete policy) only so the ingest role can start before it.
     */
    public static List<TopicSpec> specs(TopicSettings topics) {
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(spec(topics, topics.documents(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        specs.add(retained(topics, topics.questions(), topics.questionsRetention()));
        specs.add(retained(topics, topics.answers(), topics.answersRetention()));
        specs.add(retained(topics, topics.deadLetters(), topics.deadLettersRetention()));
        specs.add(retained(topics, topics.indexUpdates(), topics.indexUpdatesRetention()));
        for (String source : topics.cdcSources()) {
            specs.add(spec(topics, source, Map.of()));
        }
        return specs;
    }

    private static TopicSpec retained(TopicSettings topics, String name, Duration retention) {
        return spec(topics, name, Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
    }

    private static TopicSpec spec(TopicSettings topics, String name, Map<String, String> configs) {
        return new TopicSpec(name, topics.partitions(), topics.replicationFactor(), configs);
    }
}
