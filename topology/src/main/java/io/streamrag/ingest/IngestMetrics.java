package io.streamrag.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrag.contracts.Operation;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The ingest topology's meters. Names (Prometheus renders dots as underscores and adds units):
 * <ul>
 *   <li>{@code streamrag.ingest.batch.documents} / {@code streamrag.ingest.batch.chunks}: size distribution of
 *       flushed batches</li>
 *   <li>{@code streamrag.ingest.embed} / {@code streamrag.ingest.store}: time per batch spent embedding / writing and
 *       flushing the vector store</li>
 *   <li>{@code streamrag.ingest.freshness}: applied time minus the change's source event time</li>
 *   <li>{@code streamrag.ingest.changes.applied} (tag operation), {@code streamrag.ingest.changes.stale} (version not
 *       newer than the applied or pending one), {@code streamrag.ingest.changes.coalesced} (replaced in the buffer by a
 *       newer change of the same document before it was applied)</li>
 *   <li>{@code streamrag.ingest.dead.letters} (tag reason, see {@link RejectReason#code()})</li>
 * </ul>
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchDocuments;
    private final DistributionSummary batchChunks;
    private final Timer embedTime;
    private final Timer storeTime;
    private final Timer freshness;
    private final Counter stale;
    private final Counter coalesced;
    private final Map<Operation, Counter> applied = new EnumMap<>(Operation.class);

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchDocuments = DistributionSummary.builder("streamrag.ingest.batch.documents")
                .description("documents per flushed batch").publishPercentileHistogram().register(registry);
        this.batchChunks = DistributionSummary.builder("streamrag.ingest.batch.chunks")
                .description("chunks embedded per flushed batch").publishPercentileHistogram().register(registry);
        this.embedTime = Timer.builder("streamrag.ingest.embed")
                .description("embedding time per batch").publishPercentileHistogram().register(registry);
        this.storeTime = Timer.builder("streamrag.ingest.store")
                .description("vector store write and flush time per batch").publishPercentileHistogram()
                .register(registry);
        this.freshness = Timer.builder("streamrag.ingest.freshness")
                .description("applied time minus source event time").publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99).register(registry);
        this.stale = Counter.builder("streamrag.ingest.changes.stale")
                .description("changes skipped because their version was not newer").register(registry);
        this.coalesced = Counter.builder("streamrag.ingest.changes.coalesced")
                .description("pending changes replaced by a newer change of the same document").register(registry);
        for (Operation operation : Operation.values()) {
            applied.put(operation, Counter.builder("streamrag.ingest.changes.applied")
                    .tag("operation", operation.name().toLowerCase()).register(registry));
        }
    }

    public void batch(int documents, int chunks) {
        batchDocuments.record(documents);
        batchChunks.record(chunks);
    }

    public Timer embedTime() {
        return embedTime;
    }

    public Timer storeTime() {
        return storeTime;
    }

    public void applied(Operation operation, Duration freshness) {
        applied.get(operation).increment();
        this.freshness.record(freshness.isNegative() ? Duration.ZERO : freshness);
    }

    public void staleSkipped() {
        stale.increment();
    }

    public void coalesced() {
        coalesced.increment();
    }

    public void deadLetter(RejectReason reason) {
        Counter.builder("streamrag.ingest.dead.letters").tag("reason", reason.code()).register(registry).increment();
    }
}
