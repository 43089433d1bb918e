package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicAdminIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void createsMissingTopicsWithTheirConfigsAndLeavesExistingOnesAlone() throws Exception {
        String compacted = KAFKA.uniqueTopic("docs");
        String retained = KAFKA.uniqueTopic("answers");
        List<TopicSpec> specs = List.of(
                new TopicSpec(compacted, 3, Optional.of((short) 1), Map.of("cleanup.policy", "compact")),
                new TopicSpec(retained, 2, Optional.empty(), Map.of("retention.ms", "3600000")));
        try (Admin admin = KAFKA.admin()) {
            TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));

            TopicAdmin.Outcome first = topics.ensureTopics(specs);
            TopicAdmin.Outcome second = topics.ensureTopics(specs);

            assertThat(first.created()).containsExactlyInAnyOrder(compacted, retained);
            assertThat(first.alreadyPresent()).isEmpty();
            assertThat(second.created()).isEmpty();
            assertThat(second.alreadyPresent()).containsExactlyInAnyOrder(compacted, retained);

            Map<String, TopicDescription> described = admin.describeTopics(List.of(compacted, retained))
                    .allTopicNames().get();
            assertThat(described.get(compacted).partitions()).hasSize(3);
            assertThat(described.get(retained).partitions()).hasSize(2);
            assertThat(topicConfig(admin, compacted).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(topicConfig(admin, retained).get("retention.ms").value()).isEqualTo("3600000");
        }
    }

    @Test
    void namesTheTopicTheBrokerRefuses() {
        String impossible = KAFKA.uniqueTopic("three-replicas");
        try (Admin admin = KAFKA.admin()) {
            TopicAdmin topics = new TopicAdmin(admin, Duration.ofSeconds(30));
            assertThatThrownBy(() -> topics.ensureTopics(
                    List.of(new TopicSpec(impossible, 1, Optional.of((short) 3), Map.of()))))
                    .hasMessageContaining(impossible)
                    .hasMessageContaining("replication");
        }
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
