package io.streamrag.qa;

import io.streamrag.kafka.deadletter.InfrastructureFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the cluster (admin {@code describeTopics}, which never auto-creates) and remembers the answer: a topic that
 * exists for {@link #EXISTING_TTL}, a missing one for {@link #MISSING_TTL}, so a reply topic created after a
 * rejection is used soon and a flood of questions costs one lookup per topic and period.
 */
public final class KafkaTopicDirectory implements TopicDirectory, AutoCloseable {

    static final Duration EXISTING_TTL = Duration.ofMinutes(5);
    static final Duration MISSING_TTL = Duration.ofSeconds(10);

    private final Supplier<Admin> adminSource;
    private Admin admin;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    private record Known(boolean exists, long untilNanos) {
    }

    public KafkaTopicDirectory(Admin admin, Duration timeout) {
        this(admin, timeout, System::nanoTime);
    }

    KafkaTopicDirectory(Admin admin, Duration timeout, LongSupplier nanoTime) {
        this(() -> admin, timeout, nanoTime);
    }

    private KafkaTopicDirectory(Supplier<Admin> adminSource, Duration timeout, LongSupplier nanoTime) {
        this.adminSource = adminSource;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** A directory with its own admin client, closed with it. */
    public static KafkaTopicDirectory connect(Supplier<Map<String, Object>> clientConfig, Duration timeout) {
        // created on the first lookup: the role is built before the embedded broker's address is known
        return new KafkaTopicDirectory(() -> Admin.create(clientConfig.get()), timeout, System::nanoTime);
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = adminSource.get();
        }
        return admin;
    }

    @Override
    public boolean exists(String topic) {
        long now = nanoTime.getAsLong();
        Known cached = known.get(topic);
        if (cached != null && now - cached.untilNanos() < 0) {
            return cached.exists();
        }
        boolean exists = ask(topic);
        known.put(topic, new Known(exists, now + (exists ? EXISTING_TTL : MISSING_TTL).toNanos()));
        return exists;
    }

    private boolean ask(String topic) {
        try {
            admin().describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            // a topic this application may not even describe is as unusable as a missing one: answering that
            // question INVALID beats retrying it for ever
            if (e.getCause() instanceof UnknownTopicOrPartitionException
                    || e.getCause() instanceof InvalidTopicException
                    || e.getCause() instanceof TopicAuthorizationException) {
                return false;
            }
            throw new InfrastructureFailure("cannot tell whether topic " + topic + " exists", e.getCause());
        } catch (TimeoutException e) {
            throw new InfrastructureFailure("cannot tell within " + timeout + " whether topic " + topic
                    + " exists", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureFailure("interrupted while looking up topic " + topic, e);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
