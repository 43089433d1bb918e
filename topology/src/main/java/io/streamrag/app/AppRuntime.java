package io.streamrag.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ModelSource;
import io.streamrag.app.startup.DataDirectoryLock;
import io.streamrag.app.startup.KafkaCoordinators;
import io.streamrag.app.startup.ModelPreflight;
import io.streamrag.app.startup.PortCheck;
import io.streamrag.app.config.StoreSettings;
import io.streamrag.kafka.TopicAdmin;
import io.streamrag.kafka.deadletter.DeadLetterRouter;
import io.streamrag.observability.ApplicationHealth;
import io.streamrag.observability.ApplicationMetrics;
import io.streamrag.observability.CheckResult;
import io.streamrag.observability.HealthCheck;
import io.streamrag.observability.MetricsServer;
import io.streamrag.observability.StreamsStateSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The running application: Kafka (embedded or not), its topics, and one Kafka Streams instance per role.
 *
 * <p>Start-up order: the data directory's lock, then the checks that need nothing started (ports free, models
 * resolvable and fit for the configuration), so a person's mistake costs one line and no half-started broker; then,
 * in the background, the broker, the topics and the group and transaction coordinators, while the schema registry
 * and metrics endpoint start and every role loads its models and builds its topology; then the roles' Streams
 * instances. Readiness stays DOWN (check {@code startup}) until every role has built its topology (models loaded) and
 * started. Shutdown is the reverse: every role's Streams instance (leaving its group) and its resources, the metrics
 * endpoint, the registry, then the broker, each bounded by {@code kafka.shutdown.timeout.ms}. {@link #close()} is
 * idempotent and safe from a shutdown hook; a hook registered between {@link #create} and {@link #start(List)} that
 * fires during start-up waits for it, then stops everything.
 */
public final class AppRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AppRuntime.class);

    private final AppConfig config;
    private KafkaEndpoint kafka;
    private SchemaRegistryEndpoint schemaRegistry;
    private final ApplicationMetrics metrics = new ApplicationMetrics();
    private final ApplicationHealth health = new ApplicationHealth();
    private MetricsServer metricsServer;
    private final List<RoleRuntime> roles = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<RoleRuntime> failedRole = new AtomicReference<>();
    private final ModelPreflight modelPreflight;
    private DataDirectoryLock dataDirectoryLock;
    private volatile String startupPhase = "not started";
    private volatile boolean started;
    private boolean closed;

    private AppRuntime(AppConfig config, ModelPreflight modelPreflight) {
        this.config = config;
        this.modelPreflight = modelPreflight;
        // without it readiness said UP (no checks yet) for the ~20 s before any role existed
        health.addReadinessCheck(HealthCheck.of("startup", () -> started
                ? CheckResult.up("every role started, its models loaded")
                : CheckResult.down(startupPhase)));
    }

    /** A runtime that has started nothing yet: register its {@link #close()} as shutdown hook, then {@link #start}. */
    public static AppRuntime create(AppConfig config) {
        return new AppRuntime(config, ModelPreflight.of(config));
    }

    /** {@link #create} and {@link #start(List)} in one go. */
    public static AppRuntime start(AppConfig config, List<RoleTopology> roleTopologies) {
        AppRuntime runtime = create(config);
        runtime.start(roleTopologies);
        return runtime;
    }

    /**
     * Starts Kafka (embedded when no bootstrap servers are configured), the metrics endpoint, creates missing topics
     * when {@code topics.create} is on, then builds and starts each role.
     *
     * @throws IllegalStateException naming the step and role that failed (whatever was started is stopped again), or
     *                               when the runtime was started or closed before
     */
    public synchronized void start(List<RoleTopology> roleTopologies) {
        if (closed || dataDirectoryLock != null) {
            throw new IllegalStateException("The runtime can start once, and not after close()");
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", "app")) {
            StartupTimer timer = new StartupTimer();
            phase("locking the data directory");
            dataDirectoryLock = DataDirectoryLock.acquire(config.kafka().dataDir());
            CompletableFuture<KafkaEndpoint> kafkaStarting;
            try {
                phase("checking ports and models");
                PortCheck.requireFree(PortCheck.listeners(config));
                modelPreflight.check(config);
                timer.lap("checks");
                // the broker (6-9 s cold), the topics and the coordinators come up while the roles load their
                // models: neither needs the other
                List<String> groupIds = roleTopologies.stream().map(r -> r.role().applicationId(config)).toList();
                kafkaStarting = CompletableFuture.supplyAsync(() -> {
                    try (MDC.MDCCloseable role = MDC.putCloseable("role", "app")) {
                        return openKafka(groupIds, timer);
                    }
                }, runnable -> new Thread(runnable, "streamrag-kafka-start").start());
            } catch (RuntimeException e) {
                dataDirectoryLock.close();
                throw e;
            }
            List<BuiltRole> built = new ArrayList<>();
            try {
                phase("starting the schema registry");
                schemaRegistry = SchemaRegistryEndpoint.open(config.registry(), config.schemaRegistryDir());
                startMetricsServer();
                timer.lap("registry+metrics");
                for (RoleTopology roleTopology : roleTopologies) {
                    phase("role " + roleTopology.role().cliName() + ": loading models, building the topology");
                    built.add(buildRole(roleTopology));
                    timer.lap("models " + roleTopology.role().cliName());
                }
                phase(config.topics().create() ? "starting Kafka, creating topics" : "starting Kafka");
                kafka = awaitKafka(kafkaStarting);
                timer.lap("kafka wait");
                logWhereThingsAre();
                while (!built.isEmpty()) {
                    BuiltRole next = built.remove(0);
                    phase("starting role " + next.role().cliName());
                    startRole(next);
                }
                timer.lap("streams");
                if (roleTopologies.isEmpty()) {
                    log.info("No roles to run: Kafka and the topics are up, nothing consumes them");
                }
                started = true;
                phase("started");
                log.info("Started in {}", timer);
            } catch (RuntimeException e) {
                built.forEach(role -> role.context().close());
                if (kafka == null) {
                    // let close() stop a broker that came up after all
                    kafka = kafkaStarting.handle((endpoint, failure) -> endpoint).join();
                }
                close();
                throw e;
            }
        } catch (RuntimeException e) {
            // also when Kafka itself did not start: wake whoever waits for termination
            stopped.countDown();
            throw e;
        }
    }

    private static KafkaEndpoint awaitKafka(CompletableFuture<KafkaEndpoint> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    public synchronized String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The registry every serde of the application uses (the embedded one's actual URL when it runs). */
    public synchronized SchemaRegistryEndpoint schemaRegistry() {
        if (schemaRegistry == null) {
            throw new IllegalStateException("The runtime has not started");
        }
        return schemaRegistry;
    }

    public synchronized KafkaEndpoint kafka() {
        if (kafka == null) {
            throw new IllegalStateException("The runtime has not started");
        }
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

    /** The port of {@code /metrics} and {@code /health/*}, when {@code metrics.port} is not -1. */
    public synchronized Optional<Integer> metricsPort() {
        return Optional.ofNullable(metricsServer).map(MetricsServer::port);
    }

    public ApplicationHealth health() {
        return health;
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

    /**
     * Stops everything once; a second caller (the shutdown hook while the main thread is closing, or the reverse)
     * waits until the first has finished, so the JVM never halts half-way.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", "app")) {
            if (kafka == null && schemaRegistry == null && metricsServer == null) {
                log.info("Stopping before anything started");
                return;
            }
            phase("stopping");
            started = false;
            log.info("Stopping: {} role(s), then {}", roles().size(), kafka == null ? "the registry"
                    : kafka.embedded() ? "the embedded broker" : "disconnecting from " + kafka.bootstrapServers());
            List<RoleRuntime> running = new ArrayList<>(roles());
            Collections.reverse(running);
            for (RoleRuntime role : running) {
                try {
                    role.close();
                } catch (RuntimeException e) {
                    log.error("Stopping role {} failed", role.role().cliName(), e);
                }
            }
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (schemaRegistry != null) {
                schemaRegistry.close();
            }
            if (kafka != null) {
                kafka.close();
            }
            log.info("Stopped");
        } finally {
            if (dataDirectoryLock != null) {
                dataDirectoryLock.close();
            }
            metrics.close();
            stopped.countDown();
        }
    }

    /**
     * Kafka made ready for the roles, on the background thread: the broker (or the external cluster's address), the
     * topics when {@code topics.create} is on, and, on a fresh embedded broker, the coordinators the roles' first join
     * and first transaction need. A broker that started is stopped again when a later step fails.
     */
    private KafkaEndpoint openKafka(List<String> groupIds, StartupTimer timer) {
        long startNanos = System.nanoTime();
        KafkaEndpoint endpoint = KafkaEndpoint.open(config.kafka());
        timer.background("broker", startNanos);
        if (!config.topics().create() && !endpoint.embedded()) {
            return endpoint;
        }
        try (Admin admin = Admin.create(endpoint.clientProperties())) {
            if (config.topics().create()) {
                long topicsNanos = System.nanoTime();
                new TopicAdmin(admin, config.kafka().adminTimeout())
                        .ensureTopics(AppTopics.specs(config.topics(), config.cdcSources()));
                timer.background("topics", topicsNanos);
            }
            if (endpoint.embedded()) {
                long coordinatorsNanos = System.nanoTime();
                KafkaCoordinators.warmUp(admin, groupIds, config.kafka().adminTimeout());
                timer.background("coordinators", coordinatorsNanos);
            }
            return endpoint;
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
    }

    private synchronized void startMetricsServer() {
        if (!config.metrics().enabled()) {
            log.info("Metrics and health endpoint off (metrics.port=-1)");
            return;
        }
        InetSocketAddress address = new InetSocketAddress("0.0.0.0", config.metrics().port());
        try {
            metricsServer = MetricsServer.start(address, metrics.registry(), health);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serve metrics on " + address + " (metrics.port): " + e.getMessage(), e);
        }
        log.info("Metrics at http://{}:{}/metrics, health at /health/live and /health/ready",
                address.getHostString(), metricsServer.port());
    }

    /** A role whose models are loaded and topology built, not yet running. */
    private record BuiltRole(Role role, RoleContext context, Topology topology) {
    }

    private BuiltRole buildRole(RoleTopology roleTopology) {
        Role role = roleTopology.role();
        // Kafka's address is read when the role first needs it: the broker may still be starting while models load
        RoleContext context = new RoleContext(role, config, schemaRegistry.serdeConfig(), metrics.registry(), health,
                () -> kafka.clientProperties());
        try {
            return new BuiltRole(role, context, roleTopology.build(context));
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("Role " + role.cliName() + " could not build its topology: "
                    + e.getMessage(), e);
        }
    }

    private void startRole(BuiltRole built) {
        Role role = built.role();
        RoleContext context = built.context();
        Topology topology = built.topology();
        // the embedded store indexes what this process sees: refuse to start beside another instance of the role
        boolean singleInstanceStore = config.store().type() == StoreSettings.StoreType.EMBEDDED;
        try {
            Properties props = StreamsProperties.forRole(role, config, kafka, schemaRegistry.serdeConfig());
            props.put(DeadLetterRouter.METER_REGISTRY_CONFIG, metrics.registry());
            String instanceKey = StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
            if (!props.containsKey(instanceKey) && !props.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
                props.put(instanceKey, StaticMembership.instanceId(config.kafka().streamsStateDir(),
                        role.applicationId(config)));
            }
            if (singleInstanceStore) {
                Object ownInstance = props.getOrDefault(instanceKey, props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
                try (Admin admin = Admin.create(kafka.clientProperties())) {
                    SingleInstanceStoreGuard.checkBeforeStart(role, admin, role.applicationId(config),
                            ownInstance == null ? null : ownInstance.toString());
                }
            }
            RoleRuntime runtime = RoleRuntime.start(role, topology, props, context, config.kafka().shutdownTimeout(),
                    this::roleFailed, streams -> {
                        metrics.bindStreams(role.cliName(), streams);
                        health.addStreams(role.cliName(), StreamsStateSource.of(streams));
                        if (singleInstanceStore) {
                            // closed by the context, after the Streams instance
                            context.closeOnShutdown(SingleInstanceStoreGuard.watch(role,
                                    Admin.create(kafka.clientProperties()), streams, topology, health));
                        }
                    });
            roles.add(runtime);
            log.info("Role {} started as application.id={} with state in {}", role.cliName(),
                    runtime.applicationId(), config.kafka().streamsStateDir().resolve(runtime.applicationId()));
            // the full dump is for whoever debugs the topology, not for every start
            log.debug("Role {} topology:\n{}", role.cliName(), topology.describe());
        } catch (RuntimeException e) {
            context.close();
            throw new IllegalStateException("Role " + role.cliName() + " could not start: " + e.getMessage(), e);
        }
    }

    private void phase(String phase) {
        startupPhase = phase;
    }

    /** True once {@link #start} has started every role (their models loaded); readiness also needs them RUNNING. */
    public boolean started() {
        return started;
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
        log.info("Schema registry: {} ({})", schemaRegistry.url(), schemaRegistry.embedded()
                ? "embedded, journal in " + config.schemaRegistryDir().toAbsolutePath()
                : "external");
        log.info("Topics: documents={} questions={} answers={} dead-letters={} index-updates={} captured-documents={}"
                        + " cdc={}", config.topics().documents(), config.topics().questions(),
                config.topics().answers(), config.topics().deadLetters(), config.topics().indexUpdates(),
                config.topics().capturedDocuments(), config.topics().cdcSources());
        config.cdcSources().forEach(source -> log.info("CDC source {}: {} ({}, envelope {}), id {} prefix '{}', "
                + "truncate {}", source.name(), source.describeTopics(), source.format(), source.envelope(),
                source.mapping().idColumns(), source.mapping().idPrefix(), source.truncate()));
        log.info("Vector store: {}", config.store());
        log.info("Models: embedder={} generator={} device={} precision={}", config.models().embedder().spec(),
                config.models().generator().map(ModelSource::spec).orElse("<none: extractive answers>"),
                config.models().device(), config.models().precision());
        log.info("Streams state: {}", config.kafka().streamsStateDir().toAbsolutePath());
    }
}
