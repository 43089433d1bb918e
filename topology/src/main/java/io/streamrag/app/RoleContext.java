package io.streamrag.app;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.kafka.deadletter.BoundedDeadLetterSerializer;
import io.streamrag.kafka.deadletter.DeadLetterBound;
import io.streamrag.kafka.deadletter.FailureLedger;
import org.apache.kafka.common.serialization.Serdes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.streamrag.app.config.AppConfig;
import io.streamrag.observability.ApplicationHealth;
import io.streamrag.observability.CheckResult;
import io.streamrag.observability.HealthCheck;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link RoleTopology} gets to build its topology with, and where it leaves the resources the runtime must
 * close once the role's Streams instance has stopped (in reverse order of registration).
 */
public final class RoleContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoleContext.class);

    private final Role role;
    private final AppConfig config;
    private final Map<String, Object> serdeConfig;
    private final MeterRegistry meterRegistry;
    private final ApplicationHealth health;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Supplier<Map<String, Object>> kafkaClientConfig;
    private FailureLedger failureLedger;

    /** With the running registry's serde settings, the meter registry and health probes (what the runtime passes). */
    public RoleContext(Role role, AppConfig config, Map<String, Object> serdeConfig, MeterRegistry meterRegistry,
                       ApplicationHealth health) {
        this(role, config, serdeConfig, meterRegistry, health, config.kafka().clientConfig());
    }

    /** ... and the settings of the Kafka the roles run on (the embedded broker's actual address when it runs). */
    public RoleContext(Role role, AppConfig config, Map<String, Object> serdeConfig, MeterRegistry meterRegistry,
                       ApplicationHealth health, Map<String, Object> kafkaClientConfig) {
        this(role, config, serdeConfig, meterRegistry, health, constant(Map.copyOf(kafkaClientConfig)));
    }

    /**
     * ... with the Kafka settings read when first asked for: the runtime builds roles (loads models) while the
     * embedded broker starts, so its address is known only when the roles start.
     */
    public RoleContext(Role role, AppConfig config, Map<String, Object> serdeConfig, MeterRegistry meterRegistry,
                       ApplicationHealth health, Supplier<Map<String, Object>> kafkaClientConfig) {
        this.kafkaClientConfig = Objects.requireNonNull(kafkaClientConfig, "kafkaClientConfig");
        this.role = Objects.requireNonNull(role, "role");
        this.config = Objects.requireNonNull(config, "config");
        this.serdeConfig = Map.copyOf(serdeConfig);
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        this.health = Objects.requireNonNull(health, "health");
    }

    /** Standalone, e.g. for a topology test: meters go to a private registry, health checks nowhere. */
    public RoleContext(Role role, AppConfig config) {
        this(role, config, config.registry().serdeConfig(), new SimpleMeterRegistry(), new ApplicationHealth());
    }

    public Role role() {
        return role;
    }

    public AppConfig config() {
        return config;
    }

    /** Settings for {@code SpecificAvroSerde.configure(...)}: the registry's URL and auth. */
    public Map<String, Object> serdeConfig() {
        return serdeConfig;
    }

    /**
     * The role's count of records that failed for reasons of their own, kept next to its Streams state so that it
     * survives restarts: {@code <kafka.data.dir>/streams/<application.id>.failures}.
     */
    public synchronized FailureLedger failureLedger() {
        if (failureLedger == null) {
            failureLedger = FailureLedger.open(config.kafka().streamsStateDir()
                    .resolve(role.applicationId(config) + ".failures"), config.failures().quarantineAttempts());
        }
        return failureLedger;
    }

    /** Settings for an admin, producer or consumer of the cluster the role runs on. */
    public Map<String, Object> kafkaClientConfig() {
        return kafkaClientConfig.get();
    }

    /**
     * The dead-letter value serde: the registry format, each dead letter bounded to
     * {@code failures.dead.letter.max.bytes} so that one for an oversized record can still be written.
     */
    public Serde<DeadLetter> deadLetterSerde() {
        Serde<DeadLetter> serde = valueSerde(DeadLetter.class);
        return Serdes.serdeFrom(new BoundedDeadLetterSerializer(serde.serializer(),
                new DeadLetterBound(config.failures().deadLetterMaxBytes())), serde.deserializer());
    }

    /** A registry serde for record values of a generated contract class, configured from {@code schema.registry.*}. */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig(), false);
        return serde;
    }

    /** As {@link #valueSerde}, for record keys (subject {@code <topic>-key}). */
    public <T extends SpecificRecord> Serde<T> keySerde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig(), true);
        return serde;
    }

    /** Where the topology's meters go ({@code StreamragMetrics} factories), scraped at {@code /metrics}. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Makes readiness depend on the role's vector store, as check {@code vector-store-<role>} (one per role, so
     * ingest and QA in one process do not collide).
     */
    public void addVectorStoreCheck(VectorStore store) {
        health.addReadinessCheck(HealthCheck.of("vector-store-" + role.cliName(), () -> store.isReachable()
                ? CheckResult.up("reachable") : CheckResult.down("not reachable")));
    }

    /** The dead-letter topic, for topologies that route failed records there themselves. */
    public String deadLetterTopic() {
        return config.topics().deadLetters();
    }

    /** Hands {@code resource} to the runtime, which closes it after the Streams instance; returns it. */
    public synchronized <T extends AutoCloseable> T closeOnShutdown(T resource) {
        resources.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    /** Closes every resource, last registered first; failures are logged with the resource and do not stop the rest. */
    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.error("Closing {} of role {} failed", resource, role.cliName(), e);
            }
        }
    }

    private static Supplier<Map<String, Object>> constant(Map<String, Object> value) {
        return () -> value;
    }
}
