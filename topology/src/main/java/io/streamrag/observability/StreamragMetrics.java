package io.streamrag.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The application's own meters, in one place, so the topologies, the workers, the dashboard
 * ({@code ops/grafana/dashboards/streamrag.json}) and the alerts agree on names. Names are Micrometer's dotted form;
 * the Prometheus name each renders to is beside it. Get meters through the factory methods, not by name: they set
 * the histogram buckets that the dashboard's {@code histogram_quantile} needs, which a meter built elsewhere under
 * the same name would lack. Each call looks the meter up in the registry: call once and keep the meter in a field
 * (per tag value), not once per record.
 */
public final class StreamragMetrics {

    /** Counter, {@code streamrag_ingest_documents_total}: document changes applied to the store. */
    public static final String INGEST_DOCUMENTS = "streamrag.ingest.documents";
    /** Counter, {@code streamrag_ingest_chunks_total}: chunks written to the store. */
    public static final String INGEST_CHUNKS = "streamrag.ingest.chunks";
    /** Counter, {@code streamrag_ingest_chunks_embedded_total}: chunks whose vector the embedder computed. */
    public static final String INGEST_CHUNKS_EMBEDDED = "streamrag.ingest.chunks.embedded";
    /**
     * Counter, {@code streamrag_ingest_chunks_reused_total}: chunks written with a vector the store already held for
     * the same embedding text and model (or computed once for an equal chunk of the same batch).
     */
    public static final String INGEST_CHUNKS_REUSED = "streamrag.ingest.chunks.reused";
    /** Timer with histogram, {@code streamrag_ingest_freshness_seconds}: source commit to searchable. */
    public static final String INGEST_FRESHNESS = "streamrag.ingest.freshness";
    /** Distribution summary, {@code streamrag_worker_batch_size}: requests per model call (tag {@code worker}). */
    public static final String WORKER_BATCH_SIZE = "streamrag.worker.batch.size";
    /** Timer with histogram, tag {@link #WORKER}, {@code streamrag_worker_queue_wait_seconds}: time queued before a model worker took the request. */
    public static final String WORKER_QUEUE_WAIT = "streamrag.worker.queue.wait";
    /** Counter, tag {@link #STATUS}, {@code streamrag_qa_answers_total}: answers published, by answer status. */
    public static final String QA_ANSWERS = "streamrag.qa.answers";
    /** Timer with histogram, tag {@link #STAGE}, {@code streamrag_qa_stage_seconds}: time per QA stage (embed, retrieve, generate). */
    public static final String QA_STAGE = "streamrag.qa.stage";
    /** Counter, tag {@link #STAGE}, {@code streamrag_dead_letters_total}: records sent to the dead-letter topic. */
    public static final String DEAD_LETTERS = "streamrag.dead.letters";

    /** Counter, tag {@link #STAGE}, {@code streamrag_dead_letters_lost_total}: dead letters that could not be written (logged instead). */
    public static final String DEAD_LETTERS_LOST = "streamrag.dead.letters.lost";
    /** Counter, tag {@link #ROLE}, {@code streamrag_redone_records_total}: records applied or answered again after an aborted transaction. */
    public static final String REDONE_RECORDS = "streamrag.redone.records";
    /** Counter, tag {@link #ROLE}, {@code streamrag_quarantined_records_total}: records dead-lettered after failing repeatedly. */
    public static final String QUARANTINED_RECORDS = "streamrag.quarantined.records";

    public static final String ROLE = "role";
    public static final String WORKER = "worker";
    public static final String STATUS = "status";
    public static final String STAGE = "stage";

    private StreamragMetrics() {
    }

    public static Counter ingestDocuments(MeterRegistry registry) {
        return Counter.builder(INGEST_DOCUMENTS).description("Document changes applied to the vector store")
                .register(registry);
    }

    public static Counter ingestChunks(MeterRegistry registry) {
        return Counter.builder(INGEST_CHUNKS).description("Chunks written to the vector store").register(registry);
    }

    public static Counter ingestChunksEmbedded(MeterRegistry registry) {
        return Counter.builder(INGEST_CHUNKS_EMBEDDED).description("Chunks embedded by the embedder")
                .register(registry);
    }

    public static Counter ingestChunksReused(MeterRegistry registry) {
        return Counter.builder(INGEST_CHUNKS_REUSED)
                .description("Chunks written with a vector reused from the store instead of embedded")
                .register(registry);
    }

    /** From the change's commit at the source to the moment its chunks are searchable: 10 ms to 10 min buckets. */
    public static Timer ingestFreshness(MeterRegistry registry) {
        return Timer.builder(INGEST_FRESHNESS).description("Source commit to searchable")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** No base unit: a unit would be appended to the Prometheus name. */
    public static DistributionSummary workerBatchSize(MeterRegistry registry, String worker) {
        return DistributionSummary.builder(WORKER_BATCH_SIZE).description("requests per model call")
                .tag(WORKER, worker).register(registry);
    }

    public static Timer workerQueueWait(MeterRegistry registry, String worker) {
        return Timer.builder(WORKER_QUEUE_WAIT).description("Time a request waited for a model worker")
                .tag(WORKER, worker)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }

    public static Counter qaAnswers(MeterRegistry registry, String status) {
        return Counter.builder(QA_ANSWERS).description("Answers published, by status").tag(STATUS, status)
                .register(registry);
    }

    /** Generation on a CPU can take tens of seconds: buckets up to 2 min. */
    public static Timer qaStage(MeterRegistry registry, String stage) {
        return Timer.builder(QA_STAGE).description("Time per question-answering stage").tag(STAGE, stage)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    public static Counter deadLetters(MeterRegistry registry, String stage) {
        return Counter.builder(DEAD_LETTERS).description("Records sent to the dead-letter topic, by failing stage")
                .tag(STAGE, stage).register(registry);
    }

    public static Counter deadLettersLost(MeterRegistry registry, String stage) {
        return Counter.builder(DEAD_LETTERS_LOST).description("Dead letters that could not be written, by stage")
                .tag(STAGE, stage).register(registry);
    }

    /**
     * Work done twice: an ingest change applied again, or a question answered again, because the transaction that
     * held the first result aborted (fencing, a crash, a replaced thread). Tag role: ingest or qa.
     */
    public static Counter redoneRecords(MeterRegistry registry, String role) {
        return Counter.builder(REDONE_RECORDS).description("Records processed again after an aborted transaction")
                .tag(ROLE, role).register(registry);
    }

    public static Counter quarantinedRecords(MeterRegistry registry, String role) {
        return Counter.builder(QUARANTINED_RECORDS).description("Records dead-lettered after repeated failures")
                .tag(ROLE, role).register(registry);
    }
}
