package io.streamrag.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.streamrag.app.config.TopicSettings;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.kafka.TopicSpec;
import org.apache.kafka.common.config.TopicConfig;

/** The topics the application reads and writes, with their layout. */
public final class AppTopics {

    private AppTopics() {
    }

    /**
     * Documents are compacted: the latest change per document id is the state to index from. Questions, answers,
     * dead letters and index updates are events, kept for a retention period. CDC source topics are normally
     * created by Debezium; they are created here (plain delete policy) only so the ingest role can start before it:
     * those of {@code topics.cdc} as before, those of named sources with one partition, because a truncate event
     * reaches one partition and removes the documents the ingest read from it. Pattern sources' topics are
     * Debezium's to create. The captured-documents topic is compacted, like the documents topic: it is what reindex
     * reads.
     */
    public static List<TopicSpec> specs(TopicSettings topics) {
        return specs(topics, List.of());
    }

    /** As {@link #specs(TopicSettings)}, with the topics of the named CDC sources. */
    public static List<TopicSpec> specs(TopicSettings topics, List<CdcSource> cdcSources) {
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(spec(topics, topics.documents(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        specs.add(retained(topics, topics.questions(), topics.questionsRetention()));
        specs.add(retained(topics, topics.answers(), topics.answersRetention()));
        specs.add(retained(topics, topics.deadLetters(), topics.deadLettersRetention()));
        specs.add(retained(topics, topics.indexUpdates(), topics.indexUpdatesRetention()));
        specs.add(spec(topics, topics.capturedDocuments(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        for (String source : topics.cdcSources()) {
            specs.add(spec(topics, source, Map.of()));
        }
        for (CdcSource source : cdcSources) {
            for (String topic : source.topics()) {
                specs.add(new TopicSpec(topic, 1, topics.replicationFactor(), Map.of()));
            }
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
