package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class SingleInstanceStoreGuardTest {

    private static final List<TopicPartition> INPUT = List.of(new TopicPartition("questions", 0),
            new TopicPartition("questions", 1), new TopicPartition("questions", 2));

    @Test
    void theInputPartitionsAreDescribedAgainOnlyWhenTheAssignmentChangesOrAfterFiveMinutesSoAnIdleAppMakesNoAdminCalls() {
        SingleInstanceStoreGuard.InputPartitions cache = new SingleInstanceStoreGuard.InputPartitions();
        int[] describes = {0};
        java.util.function.Supplier<List<TopicPartition>> describe = () -> {
            describes[0]++;
            return INPUT;
        };
        long minute = java.time.Duration.ofMinutes(1).toNanos();
        Set<TopicPartition> all = Set.copyOf(INPUT);

        assertThat(cache.forAssignment(all, 0, describe)).isEqualTo(INPUT);
        cache.forAssignment(all, minute, describe);
        Set<TopicPartition> sameInAnotherSet = new java.util.HashSet<>(INPUT);
        cache.forAssignment(sameInAnotherSet, 2 * minute, describe);
        assertThat(describes[0]).as("same assignment, within five minutes").isEqualTo(1);

        cache.forAssignment(Set.copyOf(INPUT.subList(0, 2)), 3 * minute, describe);
        assertThat(describes[0]).as("a rebalance moved partitions").isEqualTo(2);
        cache.forAssignment(Set.copyOf(INPUT.subList(0, 2)), 9 * minute, describe);
        assertThat(describes[0]).as("five minutes on").isEqualTo(3);
    }

    @Test
    void anInstanceOwningEveryInputPartitionPasses() {
        assertThat(SingleInstanceStoreGuard.assignmentProblem(Role.QA, INPUT, INPUT)).isEmpty();
    }

    @Test
    void anInstanceMissingAPartitionIsRefusedWithTheSettingTheFixAndWhatIsMissing() {
        String problem = SingleInstanceStoreGuard.assignmentProblem(Role.QA, INPUT, INPUT.subList(0, 2))
                .orElseThrow();
        assertThat(problem).doesNotContain("\n")
                .contains("store.type=embedded", "store.type=qdrant", "one instance", "qa role")
                .contains("2 of 3 input partitions").contains("[questions-2]");
    }

    @Test
    void aGroupWithMembersRefusesTheStartAndAnEmptyOneDoesNot() {
        assertThat(SingleInstanceStoreGuard.startupProblem(Role.INGEST, "streamrag-ingest", 0)).isEmpty();
        assertThat(SingleInstanceStoreGuard.startupProblem(Role.INGEST, "streamrag-ingest", 2)).hasValueSatisfying(
                problem -> assertThat(problem).doesNotContain("\n").contains("streamrag-ingest", "2 member(s)",
                        "store.type=qdrant", "ingest role", "session.timeout.ms"));
    }

    @Test
    void thisInstancesOwnStaticMembersLeftByACrashAreNotOtherInstances() {
        assertThat(SingleInstanceStoreGuard.isOwn("streamrag-ingest-abc-1", "streamrag-ingest-abc")).isTrue();
        assertThat(SingleInstanceStoreGuard.isOwn("streamrag-ingest-abc", "streamrag-ingest-abc")).isTrue();
        assertThat(SingleInstanceStoreGuard.isOwn("streamrag-ingest-xyz-1", "streamrag-ingest-abc")).isFalse();
        assertThat(SingleInstanceStoreGuard.isOwn(null, "streamrag-ingest-abc")).isFalse();
        assertThat(SingleInstanceStoreGuard.isOwn("streamrag-ingest-abc-1", null)).isFalse();
    }

    @Test
    void theInputTopicsAreTheSourceTopicsWithoutRepartitionTopics() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Set.of("documents", "cdc.public.docs"), Consumed.with(Serdes.String(), Serdes.String()))
                .selectKey((key, value) -> value)
                .groupByKey(Grouped.with("by-value", Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
        assertThat(SingleInstanceStoreGuard.inputTopics(builder.build()))
                .containsExactly("cdc.public.docs", "documents");
    }
}
