package io.streamrag.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrag.observability.StreamragMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The ingest topology's meters. Those the application's catalogue ({@link StreamragMetrics}) names come from its
 * factories, so the dashboard's buckets hold: {@code streamrag.ingest.documents}, {@code streamrag.ingest.chunks},
 * {@code streamrag.ingest.freshness} (applied time minus the change's source event time) and
 * {@code streamrag.dead.letters} (tag stage). The ingest's own (Prometheus renders dots as underscores, adds units):
 * <ul>
 *   <li>{@code streamrag.ingest.batch.documents} / {@code streamrag.ingest.batch.chunks}: size distribution of
 *       flushed batches</li>
 *   <li>{@code streamrag.ingest.embed} / {@code streamrag.ingest.store}: time per batch spent embedding / writing and
 *       flushing the vector store; {@code streamrag.ingest.reuse.lookup}: time per batch reading the stored vectors
 *       that unchanged chunks reuse</li>
 *   <li>{@code streamrag.ingest.chunks.embedded} / {@code streamrag.ingest.chunks.reused} (catalogue): chunks the
 *       embedder computed / chunks that kept a stored vector</li>
 *   <li>{@code streamrag.ingest.changes.stale} (version not
 *       newer than the applied or pending one), {@code streamrag.ingest.changes.coalesced} (replaced in the buffer by a
 *       newer change of the same document before it was applied)</li>
 *   <li>{@code streamrag.ingest.dead.letters} (tag reason, see {@link RejectReason#code()})</li>
 * </ul>
 */
public final class IngestMetrics {

    private final DistributionSummary batchDocuments;
    private final DistributionSummary batchChunks;
    private final Timer embedTime;
    private final Timer storeTime;
    private final Timer reuseLookupTime;
    private final Counter chunksEmbedded;
    private final Counter chunksReused;
    private final Timer freshness;
    private final Counter stale;
    private final Counter coalesced;
    private final Counter documents;
    private final Counter chunks;
    private final Map<RejectReason, Counter> deadLettersByReason = new EnumMap<>(RejectReason.class);
    private final Map<String, Counter> deadLettersByStage = new HashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.batchDocuments = DistributionSummary.builder("streamrag.ingest.batch.documents")
                .description("documents per flushed batch").publishPercentileHistogram().register(registry);
        this.batchChunks = DistributionSummary.builder("streamrag.ingest.batch.chunks")
                .description("chunks embedded per flushed batch").publishPercentileHistogram().register(registry);
        this.embedTime = Timer.builder("streamrag.ingest.embed")
                .description("embedding time per batch").publishPercentileHistogram().register(registry);
        this.storeTime = Timer.builder("streamrag.ingest.store")
                .description("vector store write and flush time per batch").publishPercentileHistogram()
                .register(registry);
        this.reuseLookupTime = Timer.builder("streamrag.ingest.reuse.lookup")
                .description("time per batch reading the stored vectors of the batch's documents")
                .publishPercentileHistogram().register(registry);
        this.chunksEmbedded = StreamragMetrics.ingestChunksEmbedded(registry);
        this.chunksReused = StreamragMetrics.ingestChunksReused(registry);
        this.freshness = StreamragMetrics.ingestFreshness(registry);
        this.documents = StreamragMetrics.ingestDocuments(registry);
        this.chunks = StreamragMetrics.ingestChunks(registry);
        this.stale = Counter.builder("streamrag.ingest.changes.stale")
                .description("changes skipped because their version was not newer").register(registry);
        this.coalesced = Counter.builder("streamrag.ingest.changes.coalesced")
                .description("pending changes replaced by a newer change of the same document").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            deadLettersByReason.put(reason, Counter.builder("streamrag.ingest.dead.letters")
                    .description("ingest input records dead-lettered, by reason").tag("reason", reason.code())
                    .register(registry));
            deadLettersByStage.computeIfAbsent(reason.stage(), stage -> StreamragMetrics.deadLetters(registry, stage));
        }
    }

    /** A batch of {@code documents} changes whose chunks were {@code embedded} by the embedder or {@code reused}. */
    public void batch(int documents, int embedded, int reused) {
        batchDocuments.record(documents);
        batchChunks.record(embedded);
        chunksEmbedded.increment(embedded);
        chunksReused.increment(reused);
    }

    public Timer reuseLookupTime() {
        return reuseLookupTime;
    }

    public Timer embedTime() {
        return embedTime;
    }

    public Timer storeTime() {
        return storeTime;
    }

    /** One document change applied with {@code chunkCount} chunks written. */
    public void applied(int chunkCount, Duration freshness) {
        documents.increment();
        chunks.increment(chunkCount);
        this.freshness.record(freshness.isNegative() ? Duration.ZERO : freshness);
    }

    public void staleSkipped() {
        stale.increment();
    }

    public void coalesced() {
        coalesced.increment();
    }

    public void deadLetter(RejectReason reason) {
        deadLettersByReason.get(reason).increment();
        deadLettersByStage.get(reason.stage()).increment();
    }
}
