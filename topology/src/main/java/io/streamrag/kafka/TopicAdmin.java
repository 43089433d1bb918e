package io.streamrag.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the application needs, idempotently: missing topics are created with their specs, existing
 * ones are left as they are (an operator may have tuned them) and reported.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What {@link #ensureTopics} did. */
    public record Outcome(List<String> created, List<String> alreadyPresent) {
        public Outcome {
            created = List.copyOf(created);
            alreadyPresent = List.copyOf(alreadyPresent);
        }
    }

    /**
     * Creates every topic in {@code specs} that does not exist yet.
     *
     * @throws IllegalStateException naming the topic when the broker refuses one (bad config, too few brokers for the
     *                               replication factor, authorization) or does not answer in time
     */
    public Outcome ensureTopics(Collection<TopicSpec> specs) {
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        for (TopicSpec spec : specs) {
            TopicSpec previous = byName.putIfAbsent(spec.name(), spec);
            if (previous != null && !previous.equals(spec)) {
                throw new IllegalArgumentException("Topic " + spec.name() + " is specified twice, differently: "
                        + previous + " and " + spec);
            }
        }
        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<String> alreadyPresent = byName.keySet().stream().filter(existing::contains).toList();
        List<NewTopic> missing = byName.values().stream()
                .filter(spec -> !existing.contains(spec.name()))
                .map(TopicSpec::toNewTopic)
                .toList();

        List<String> created = new ArrayList<>();
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing);
            for (Map.Entry<String, KafkaFuture<Void>> entry : result.values().entrySet()) {
                try {
                    await(entry.getValue(), "create topic " + entry.getKey());
                    created.add(entry.getKey());
                } catch (IllegalStateException e) {
                    // Another instance created it between our listing and our request: that is the goal reached.
                    if (e.getCause() instanceof TopicExistsException) {
                        alreadyPresent = append(alreadyPresent, entry.getKey());
                    } else {
                        throw e;
                    }
                }
            }
        }
        if (!created.isEmpty()) {
            log.info("Created topics {}", describe(byName, created));
        }
        if (!alreadyPresent.isEmpty()) {
            log.info("Topics already present, left unchanged: {}", alreadyPresent);
        }
        return new Outcome(created, alreadyPresent);
    }

    private static String describe(Map<String, TopicSpec> byName, List<String> names) {
        return names.stream()
                .map(byName::get)
                .map(spec -> spec.name() + "(partitions=" + spec.partitions() + ", " + spec.configs() + ")")
                .collect(Collectors.joining(", "));
    }

    private static List<String> append(List<String> list, String item) {
        List<String> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " to " + what, e);
        }
    }
}
