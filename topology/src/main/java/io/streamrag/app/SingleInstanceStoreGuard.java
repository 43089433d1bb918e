package io.streamrag.app;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.streamrag.observability.ApplicationHealth;
import io.streamrag.observability.CheckResult;
import io.streamrag.observability.HealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Refuses to let the embedded (Lucene) store run split across instances. Its index lives in one process: with two
 * ingest members each would index only the partitions it owns, and each QA member would search only its own half,
 * so answers would silently miss passages. Qdrant is the store for several instances.
 *
 * <p>Two moments: at start-up, a group that already has members means another instance runs (refused with one line);
 * while running, every few seconds, the role's active tasks must cover every partition of its input topics, else
 * readiness goes DOWN (check {@code single-instance-store-<role>}) with one ERROR line, and UP again once this
 * instance owns everything again (the other member left). The start-up check cannot tell a crashed instance's
 * membership, still held until {@code session.timeout.ms} expires, from a live one: the message says so.
 */
final class SingleInstanceStoreGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SingleInstanceStoreGuard.class);
    /** Often enough that a probe sees a split within seconds of the rebalance; one admin call per period. */
    static final Duration CHECK_PERIOD = Duration.ofSeconds(2);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    private final Role role;
    private final Admin admin;
    private final KafkaStreams streams;
    private final Set<String> inputTopics;
    private final ScheduledExecutorService checker;
    private volatile CheckResult last = CheckResult.up("not assigned yet");
    private final InputPartitions inputPartitions = new InputPartitions();

    private SingleInstanceStoreGuard(Role role, Admin admin, KafkaStreams streams, Set<String> inputTopics) {
        this.role = role;
        this.admin = admin;
        this.streams = streams;
        this.inputTopics = inputTopics;
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "single-instance-store-guard-" + role.cliName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The one line a refusal carries: what is wrong, the setting, and both fixes. */
    static String refusal(Role role, String why) {
        return "store.type=embedded keeps the vector index inside one process, but " + why + ": run the "
                + role.cliName() + " role as one instance, or set store.type=qdrant to run several";
    }

    /**
     * Why starting this instance would split the embedded index, or empty. {@code members} are the group's current
     * members (none when the group does not exist).
     */
    static Optional<String> startupProblem(Role role, String groupId, int members) {
        if (members == 0) {
            return Optional.empty();
        }
        return Optional.of(refusal(role, "group " + groupId + " already has " + members + " member(s) (another "
                + "instance runs; a crashed one holds its membership until session.timeout.ms expires)"));
    }

    /** Why the current assignment splits the embedded index, or empty when this instance owns every input partition. */
    static Optional<String> assignmentProblem(Role role, Collection<TopicPartition> inputPartitions,
                                              Collection<TopicPartition> assigned) {
        Set<String> missing = inputPartitions.stream().filter(partition -> !assigned.contains(partition))
                .map(TopicPartition::toString).collect(Collectors.toCollection(TreeSet::new));
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(refusal(role, "this instance is assigned " + (inputPartitions.size() - missing.size())
                + " of " + inputPartitions.size() + " input partitions (another member owns " + missing + ")"));
    }

    /** The topics the topology reads as a consumer group: its source topics, without Streams' repartition topics. */
    static Set<String> inputTopics(Topology topology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().filter(topic -> !topic.endsWith("-repartition")).forEach(topics::add);
                }
            }
        }
        return topics;
    }

    /**
     * Refuses at start-up when the group has members already.
     *
     * @throws IllegalStateException with the one-line refusal
     */
    static void checkBeforeStart(Role role, Admin admin, String groupId, String ownStaticInstanceId) {
        int members;
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // this instance's own static members (Streams adds "-<thread>") outlive a kill -9: they are not others
            members = (int) group.members().stream()
                    .filter(member -> !isOwn(member.groupInstanceId().orElse(null), ownStaticInstanceId))
                    .count();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            // cannot tell now: the running check still catches a split after the first rebalance
            log.warn("Could not describe group {} to check the embedded store runs alone: {}", groupId,
                    e.getCause().toString());
            return;
        } catch (TimeoutException e) {
            log.warn("Could not describe group {} in {} to check the embedded store runs alone", groupId,
                    ADMIN_TIMEOUT);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking group " + groupId, e);
        }
        startupProblem(role, groupId, members).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
    }

    static boolean isOwn(String memberInstanceId, String ownStaticInstanceId) {
        return memberInstanceId != null && ownStaticInstanceId != null
                && (memberInstanceId.equals(ownStaticInstanceId) || memberInstanceId.startsWith(ownStaticInstanceId + "-"));
    }

    /** Starts the running check for {@code streams} and adds it to readiness; close it after the Streams instance. */
    static SingleInstanceStoreGuard watch(Role role, Admin admin, KafkaStreams streams, Topology topology,
                                          ApplicationHealth health) {
        SingleInstanceStoreGuard guard = new SingleInstanceStoreGuard(role, admin, streams, inputTopics(topology));
        health.addReadinessCheck(HealthCheck.of("single-instance-store-" + role.cliName(), () -> guard.last));
        guard.checker.scheduleWithFixedDelay(guard::checkSafely, CHECK_PERIOD.toMillis(), CHECK_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        return guard;
    }

    /** The latest verdict (what readiness shows). */
    CheckResult lastResult() {
        return last;
    }

    private void checkSafely() {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", role.cliName())) {
            check();
        } catch (RuntimeException e) {
            log.warn("Checking that the embedded store runs alone failed; trying again in {}", CHECK_PERIOD, e);
        }
    }

    private void check() {
        // only a settled assignment says something; during a rebalance tasks move and are briefly nowhere
        if (streams.state() != KafkaStreams.State.RUNNING || inputTopics.isEmpty()) {
            return;
        }
        Set<TopicPartition> assigned = new TreeSet<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                assigned.addAll(task.topicPartitions());
            }
        }
        Optional<String> problem = assignmentProblem(role,
                inputPartitions.forAssignment(assigned, System.nanoTime(), this::describeInputPartitions), assigned);
        CheckResult now = problem.map(CheckResult::down)
                .orElseGet(() -> CheckResult.up("this instance owns every partition of " + inputTopics));
        if (now.up() != last.up()) {
            if (now.up()) {
                log.info("Role {}: the embedded store runs alone again ({})", role.cliName(), now.detail());
            } else {
                log.error("Role {}: {}", role.cliName(), now.detail());
            }
        }
        last = now;
    }

    private List<TopicPartition> describeInputPartitions() {
        try {
            return admin.describeTopics(inputTopics).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .flatMap((TopicDescription topic) -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("describing " + inputTopics + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing " + inputTopics, e);
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }

    /**
     * The input topics' partitions, described again only when this instance's assignment changed or after
     * {@link #REDESCRIBE_AFTER} (a partition added to an input topic also rebalances the group, changing the
     * assignment): an idle app then makes no admin call per check (issue 13), and a split still shows at the first
     * check after the rebalance that made it. Checker thread only.
     */
    static final class InputPartitions {
        static final Duration REDESCRIBE_AFTER = Duration.ofMinutes(5);

        private Set<TopicPartition> describedFor;
        private List<TopicPartition> partitions;
        private long describedAtNanos;

        List<TopicPartition> forAssignment(Set<TopicPartition> assigned, long nowNanos,
                                           java.util.function.Supplier<List<TopicPartition>> describe) {
            if (partitions == null || !assigned.equals(describedFor)
                    || nowNanos - describedAtNanos > REDESCRIBE_AFTER.toNanos()) {
                partitions = describe.get();
                describedFor = Set.copyOf(assigned);
                describedAtNanos = nowNanos;
            }
            return partitions;
        }
    }
}
