package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.kafka.TopicSpec;
import org.junit.jupiter.api.Test;

class AppTopicsTest {

    @Test
    void documentsAreCompactedAndEventTopicsKeptForTheirRetention() {
        AppConfig config = new ConfigLoader(Map.of(), new java.util.Properties()).load(Optional.empty(), Map.of(
                "topics.cdc", "pg.public.articles",
                "topics.partitions", "6",
                "topics.replication.factor", "3",
                "topics.retention.answers.ms", "1000"));

        Map<String, TopicSpec> specs = AppTopics.specs(config.topics()).stream()
                .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

        assertThat(specs).containsOnlyKeys("streamrag.documents", "streamrag.questions", "streamrag.answers",
                "streamrag.dead-letters", "streamrag.index-updates", "streamrag.captured-documents",
                "pg.public.articles");
        assertThat(specs.get("streamrag.documents").configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(specs.get("streamrag.captured-documents").configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(specs.get("streamrag.answers").configs())
                .containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "1000");
        assertThat(specs.get("streamrag.dead-letters").configs()).containsEntry("retention.ms", "1209600000");
        assertThat(specs.values()).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(6);
            assertThat(spec.replicationFactor()).contains((short) 3);
        });
    }

    @Test
    void namedCdcSourcesTopicsAreCreatedWithOnePartitionSoATruncateReachesAllTheirDocuments() {
        AppConfig config = new ConfigLoader(Map.of(), new java.util.Properties()).load(Optional.empty(), Map.of(
                "topics.partitions", "6",
                "cdc.sources.articles.topics", "shop.public.articles",
                "cdc.sources.articles.id.columns", "article_id",
                "cdc.sources.articles.body.column", "content",
                "cdc.sources.all.topic.pattern", "wiki\\..*",
                "cdc.sources.all.id.columns", "id",
                "cdc.sources.all.body.column", "text"));

        Map<String, TopicSpec> specs = AppTopics.specs(config.topics(), config.cdcSources()).stream()
                .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

        assertThat(specs.get("shop.public.articles").partitions()).isEqualTo(1);
        assertThat(specs.get("streamrag.documents").partitions()).isEqualTo(6);
        assertThat(specs.keySet()).as("a pattern names no topic to create").noneMatch(name -> name.startsWith("wiki"));
    }
}
