package io.streamrag.observability;

import io.streamrag.store.VectorStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The app's liveness and readiness, as the probes of {@link MetricsServer} answer them. Liveness: every registered
 * Kafka Streams instance can still process (see {@link StreamsHealth}). Readiness: every instance is processing and
 * the vector store answers. An unreachable store does not fail liveness: restarting the app does not bring it back.
 */
public final class ApplicationHealth {

    /** How long a Streams instance that was RUNNING may rebalance and still count as ready. */
    public static final Duration DEFAULT_REBALANCE_GRACE = Duration.ofSeconds(30);

    private final Duration rebalanceGrace;
    private final LongSupplier nanoClock;
    private final List<HealthCheck> liveness = new CopyOnWriteArrayList<>();
    private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();

    public ApplicationHealth() {
        this(DEFAULT_REBALANCE_GRACE);
    }

    public ApplicationHealth(Duration rebalanceGrace) {
        this(rebalanceGrace, System::nanoTime);
    }

    ApplicationHealth(Duration rebalanceGrace, LongSupplier nanoClock) {
        this.rebalanceGrace = rebalanceGrace;
        this.nanoClock = nanoClock;
    }

    /** Adds the instance to both probes as check {@code streams-<name>} (e.g. streams-ingest). */
    public synchronized void addStreams(String name, StreamsStateSource streams) {
        StreamsHealth health = new StreamsHealth(streams, rebalanceGrace, nanoClock);
        add(liveness, HealthCheck.of("streams-" + name, health::liveness));
        add(readiness, HealthCheck.of("streams-" + name, health::readiness));
    }

    /** Adds check {@code vector-store} to readiness: {@link VectorStore#isReachable()}. */
    public void addVectorStore(VectorStore store) {
        addReadinessCheck(HealthCheck.of("vector-store", () -> store.isReachable()
                ? CheckResult.up("reachable") : CheckResult.down("not reachable")));
    }

    public synchronized void addReadinessCheck(HealthCheck check) {
        add(readiness, check);
    }

    /** Names are the keys of the probes' JSON: a second check under one name would hide the first. */
    private static void add(List<HealthCheck> checks, HealthCheck check) {
        if (checks.stream().anyMatch(c -> c.name().equals(check.name()))) {
            throw new IllegalArgumentException("A health check named '" + check.name() + "' is already registered");
        }
        checks.add(check);
    }

    public HealthReport liveness() {
        return report(liveness);
    }

    public HealthReport readiness() {
        return report(readiness);
    }

    private static HealthReport report(List<HealthCheck> checks) {
        Map<String, CheckResult> results = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck check : checks) {
            CheckResult result = check.check();
            results.put(check.name(), result);
            up &= result.up();
        }
        return new HealthReport(up, results);
    }
}
