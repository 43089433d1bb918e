package io.streamrag.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.streamrag.app.config.AppConfig;
import io.streamrag.kafka.TopicAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running application: Kafka (embedded or not), its topics, and one Kafka Streams instance per role.
 *
 * <p>Start-up order: broker, topics, roles. Shutdown is the reverse: every role's Streams instance (leaving its group)
 * and its resources, then the broker, each bounded by {@code kafka.shutdown.timeout.ms}. {@link #close()} is
 * idempotent and safe from a shutdown hook.
 */
public final class AppRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppRuntime.class);

    private final AppConfig config;
    private final KafkaEndpoint kafka;
    private final List<RoleRuntime> roles = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<RoleRuntime> failedRole = new AtomicReference<>();
    private boolean closed;

    private AppRuntime(AppConfig config, KafkaEndpoint kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    /**
     * Starts Kafka (embedded when no bootstrap servers are configured), creates missing topics when
     * {@code topics.create} is on, then builds and starts each role.
     *
     * @throws IllegalStateException naming the step and role that failed; whatever was started is stopped again
     */
    public static AppRuntime start(AppConfig config, List<RoleTopology> roleTopologies) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", "app")) {
            KafkaEndpoint kafka = KafkaEndpoint.open(config.kafka());
            AppRuntime runtime = new AppRuntime(config, kafka);
            try {
                runtime.logWhereThingsAre();
                if (config.topics().create()) {
                    runtime.createTopics();
                }
                for (RoleTopology roleTopology : roleTopologies) {
                    runtime.startRole(roleTopology);
                }
                if (roleTopologies.isEmpty()) {
                    log.info("No roles to run: Kafka and the topics are up, nothing consumes them");
                }
                return runtime;
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public KafkaEndpoint kafka() {
        return kafka;
    }

    public AppConfig config() {
        return config;
    }

    public List<RoleRuntime> roles() {
        synchronized (roles) {
            return List.copyOf(roles);
        }
    }

    /** True once every role's Streams instance is RUNNING (rebalanced, tasks assigned). */
    public boolean allRolesRunning() {
        return roles().stream().allMatch(role -> role.state() == KafkaStreams.State.RUNNING);
    }

    /** The role whose Streams instance died, if any; the application should then stop with an error. */
    public Optional<RoleRuntime> failedRole() {
        return Optional.ofNullable(failedRole.get());
    }

    /** Blocks until {@link #close()} is called or a role fails; returns true when a role failed. */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failedRole.get() != null;
    }

    /** As {@link #awaitTermination()}, bounded; returns false when neither happened in time. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", "app")) {
            log.info("Stopping: {} role(s), then {}", roles().size(),
                    kafka.embedded() ? "the embedded broker" : "disconnecting from " + kafka.bootstrapServers());
            List<RoleRuntime> running = new ArrayList<>(roles());
            Collections.reverse(running);
            for (RoleRuntime role : running) {
                try {
                    role.close();
                } catch (RuntimeException e) {
                    log.error("Stopping role {} failed", role.role().cliName(), e);
                }
            }
            kafka.close();
            log.info("Stopped");
        } finally {
            stopped.countDown();
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicAdmin(admin, config.kafka().adminTimeout()).ensureTopics(AppTopics.specs(config.topics()));
        }
    }

    private void startRole(RoleTopology roleTopology) {
        Role role = roleTopology.role();
        RoleContext context = new RoleContext(role, config);
        Topology topology;
        try {
            topology = roleTopology.build(context);
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("Role " + role.cliName() + " could not build its topology: "
                    + e.getMessage(), e);
        }
        try {
            RoleRuntime runtime = RoleRuntime.start(role, topology, StreamsProperties.forRole(role, config, kafka),
                    context, config.kafka().shutdownTimeout(), this::roleFailed);
            roles.add(runtime);
            log.info("Role {} started as application.id={} with state in {}; topology:\n{}", role.cliName(),
                    runtime.applicationId(), config.kafka().streamsStateDir().resolve(runtime.applicationId()),
                    topology.describe());
        } catch (RuntimeException e) {
            context.close();
            throw new IllegalStateException("Role " + role.cliName() + " could not start: " + e.getMessage(), e);
        }
    }

    private void roleFailed(RoleRuntime role) {
        if (failedRole.compareAndSet(null, role)) {
            log.error("Role {} failed; the application stops", role.role().cliName());
            // wake the main thread; it closes everything (closing from the Streams thread would deadlock)
            stopped.countDown();
        }
    }

    private void logWhereThingsAre() {
        log.info("Kafka: {} ({})", kafka.bootstrapServers(), kafka.embedded()
                ? "embedded broker, data in " + config.kafka().brokerDir().toAbsolutePath()
                : "external cluster");
        log.info("Schema registry: {}", config.registry().url());
        log.info("Topics: documents={} questions={} answers={} dead-letters={} index-updates={} cdc-sources={}",
                config.topics().documents(), config.topics().questions(), config.topics().answers(),
                config.topics().deadLetters(), config.topics().indexUpdates(), config.topics().cdcSources());
        log.info("Vector store: {}", config.store());
        log.info("Models: embedder={} generator={} device={} precision={}", config.models().embedder(),
                config.models().generator().map(Object::toString).orElse("<none: extractive answers>"),
                config.models().device(), config.models().precision());
        log.info("Streams state: {}", config.kafka().streamsStateDir().toAbsolutePath());
    }
}
