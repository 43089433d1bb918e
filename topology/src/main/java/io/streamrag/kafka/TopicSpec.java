package io.streamrag.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * A topic the application needs: its name, partition count, replication and topic-level configs
 * ({@code cleanup.policy}, {@code retention.ms}, ...).
 *
 * @param replicationFactor empty to take the broker's {@code default.replication.factor}
 */
public record TopicSpec(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic " + name + " needs at least one partition, got " + partitions);
        }
        replicationFactor.ifPresent(rf -> {
            if (rf < 1) {
                throw new IllegalArgumentException("Topic " + name + " needs replication factor >= 1, got " + rf);
            }
        });
        configs = Map.copyOf(configs);
    }

    NewTopic toNewTopic() {
        return new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
    }
}
