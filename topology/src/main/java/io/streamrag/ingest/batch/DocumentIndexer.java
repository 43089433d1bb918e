package io.streamrag.ingest.batch;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.VersionGate;
import io.streamrag.kafka.LingerTimer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.kafka.RedoCounter;
import io.streamrag.kafka.deadletter.FailureCause;
import org.apache.avro.specific.SpecificRecord;
import io.streamrag.kafka.WorkBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Buffers admitted document changes and applies them in batches.
 *
 * <p>Each change passes the {@link VersionGate} against the pending and applied versions; stale ones are counted
 * and dropped. Admitted changes go to the pending store (document id to latest pending change, so repeated changes
 * of one document coalesce). The buffer is flushed when it holds {@code maxDocuments} documents or its oldest change
 * has waited {@code linger} (a wall-clock punctuation, scheduled only while changes wait: see {@link LingerTimer}).
 * A flush, in this order: apply the batch to the vector store
 * ({@link BatchIndexer}; searchable when it returns), record the applied versions, emit one {@link IndexUpdate} per
 * change, clear the buffer. The vector store is made durable once per Kafka commit, before it
 * ({@link StoreCommitHook}). Both stores are changelogged, so under exactly_once_v2 a crash anywhere in between rolls the stores
 * and the outputs back to the last commit and the batch is applied again, idempotently. A failing flush throws: the
 * buffer keeps the batch and the stream thread dies without committing past it.
 *
 * <p>A flush applies at most {@code maxDocuments} changes and no more than the {@link WorkBudget} allows (at least
 * one change); what is left stays pending and goes at the next punctuation, after Streams had the chance to commit.
 * So the inference one transaction carries is bounded, and a slow machine cuts its batches instead of being fenced.
 * Flushes start where the previous one stopped (in document id order, wrapping around), so no document starves.
 *
 * <p>With {@code embedOverlap} the embedder does not wait for the store: a batch is <em>started</em> (chunked, its
 * stored vectors read, its embedding submitted to the task's {@link EmbeddingLane}) before it is applied, and a
 * flush starts the next batch before it applies its own, so the next batch is embedded while this one is written,
 * its updates emitted and Streams commits. A full buffer starts its batch and goes on reading; the batch is applied
 * as soon as its vectors are there (checked at every record and punctuation) or, at the latest, when the next batch
 * is full too. Applying stays on the stream thread, in the order above, so exactly-once is unchanged: a started
 * batch is only a cache of vectors ({@link StartedBatch}), its changes stay pending until it is applied, and a change
 * that was replaced meanwhile is left out of it. A document is in at most one started batch, so the stored vectors
 * a batch reads for reuse are never older than the batch before it wrote.
 */
public final class DocumentIndexer implements Processor<String, DocumentChange, Object, SpecificRecord> {

    private final String appliedStoreName;
    private final String pendingStoreName;
    private final BatchingSettings batching;
    private final BatchIndexer indexer;
    private final IngestMetrics metrics;
    private final WorkBudget budget;
    private final RedoCounter redo;
    private final ChangeQuarantine quarantine;
    private final String updatesChild;
    private final String deadLettersChild;
    private String lastFlushed;
    private ProcessorContext<Object, SpecificRecord> context;
    private KeyValueStore<String, IndexUpdate> applied;
    private KeyValueStore<String, DocumentChange> pending;
    private int pendingCount;
    private long oldestPendingSince;
    private LingerTimer lingerTimer;
    private final Function<String, EmbeddingLane> lanes;
    private EmbeddingLane lane;
    /** The batch whose embedding started ahead of its turn (only with overlap). */
    private StartedBatch ahead;

    public DocumentIndexer(String appliedStoreName, String pendingStoreName, BatchingSettings batching,
                           BatchIndexer indexer, IngestMetrics metrics, WorkBudget budget, RedoCounter redo,
                           ChangeQuarantine quarantine, String updatesChild, String deadLettersChild,
                           Function<String, EmbeddingLane> lanes) {
        this.lanes = lanes;
        this.quarantine = quarantine;
        this.updatesChild = updatesChild;
        this.deadLettersChild = deadLettersChild;
        this.budget = budget;
        this.redo = redo;
        this.appliedStoreName = appliedStoreName;
        this.pendingStoreName = pendingStoreName;
        this.batching = batching;
        this.indexer = indexer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, SpecificRecord> context) {
        this.context = context;
        this.applied = context.getStateStore(appliedStoreName);
        this.pending = context.getStateStore(pendingStoreName);
        try (KeyValueIterator<String, DocumentChange> restored = pending.all()) {
            while (restored.hasNext()) {
                restored.next();
                pendingCount++;
            }
        }
        oldestPendingSince = context.currentSystemTimeMs();
        lane = lanes.apply("ingest-embed-" + context.taskId());
        lingerTimer = new LingerTimer(context, batching.punctuationInterval(), this::flushIfLingered);
        if (pendingCount > 0) {
            lingerTimer.arm();
        }
    }

    @Override
    public void process(Record<String, DocumentChange> record) {
        String documentId = record.key();
        DocumentChange buffered = pending.get(documentId);
        VersionGate.Verdict verdict = VersionGate.admit(documentId, record.value(), record.timestamp(), buffered,
                buffered == null ? applied.get(documentId) : null);
        if (verdict.stale()) {
            metrics.staleSkipped();
            return;
        }
        if (verdict.admitted() == null) {
            return;
        }
        if (buffered != null) {
            metrics.coalesced();
        } else {
            if (pendingCount == 0) {
                oldestPendingSince = context.currentSystemTimeMs();
                lingerTimer.arm();
            }
            pendingCount++;
        }
        pending.put(documentId, verdict.admitted());
        if (ahead != null && ahead.ready()) {
            flush();
        } else if (pendingCount - (ahead == null ? 0 : ahead.size()) >= batching.maxDocuments()) {
            if (ahead == null && batching.embedOverlap()) {
                // start it and read on; it is applied when embedded, or when the next batch is full as well
                ahead = start(rotatedFrom(lastFlushed, Set.of()), false);
                if (ahead == null || ahead.ready()) {
                    flush();
                }
            } else {
                flush();
            }
        }
    }

    private void flushIfLingered(long now) {
        if (pendingCount == 0) {
            lingerTimer.disarm();
        } else if (ahead != null) {
            if (ahead.ready()) {
                flush(); // waiting changes go with the batch after it, which this flush starts
            }
        } else if (now - oldestPendingSince >= batching.linger().toMillis()) {
            flush();
        }
    }

    private void flush() {
        StartedBatch batch = ahead == null ? null : ahead.stillPending(pending::get);
        ahead = null;
        if (batch == null) {
            batch = start(rotatedFrom(lastFlushed, Set.of()), false);
        }
        if (batch != null && batching.embedOverlap()) {
            // the next batch is embedded while this one is written, emitted and committed
            ahead = start(rotatedFrom(batch.lastDocumentId(), batch.documentIds()), true);
        }
        if (batch != null) {
            apply(batch);
            lastFlushed = batch.lastDocumentId();
        }
        pendingCount = 0;
        try (KeyValueIterator<String, DocumentChange> left = pending.all()) {
            for (; left.hasNext(); left.next()) {
                pendingCount++;
            }
        }
        if (pendingCount == 0) {
            lingerTimer.disarm();
        }
        // what is left has waited at least as long as the linger: the next punctuation flushes it
    }

    /**
     * Picks the next batch from {@code candidates} (at most {@code maxDocuments}, within the work budget, at least
     * one change) and starts it; null when none is left. A change that reached its attempts is dead-lettered and one
     * that cannot be chunked counts a failure, as they come, except when the batch is started {@code ahead} of its
     * turn: that one ends before such a change, which is left to the flush whose turn it is.
     */
    private StartedBatch start(List<KeyValue<String, DocumentChange>> candidates, boolean ahead) {
        long allowance = budget.allowance();
        long tokens = 0;
        List<KeyValue<String, DocumentChange>> batch = new ArrayList<>();
        List<BatchIndexer.PlannedChange> plans = new ArrayList<>();
        for (KeyValue<String, DocumentChange> entry : candidates) {
            if (!plans.isEmpty() && plans.size() >= batching.maxDocuments()) {
                break;
            }
            if (quarantine.quarantined(entry.value)) {
                if (ahead) {
                    break;
                }
                // it reached its attempts, but the transaction with its dead letter did not commit
                settle(entry, quarantine.deadLetter(entry.value, null));
                continue;
            }
            BatchIndexer.PlannedChange plan;
            try {
                plan = indexer.plan(entry.value);
            } catch (RuntimeException e) {
                if (FailureCause.isInfrastructure(e)) {
                    throw e;
                }
                if (ahead) {
                    break;
                }
                settle(entry, quarantine.failed(entry.value, e));
                continue;
            }
            if (!plans.isEmpty() && tokens + plan.tokens() > allowance) {
                break;
            }
            batch.add(entry);
            plans.add(plan);
            tokens += plan.tokens();
        }
        if (batch.isEmpty()) {
            return null;
        }
        return StartedBatch.start(indexer, lane, batch, plans, tokens);
    }

    /** Applies a started batch on the stream thread: waits for its vectors, writes, emits, leaves the buffer. */
    private void apply(StartedBatch batch) {
        long started = System.nanoTime();
        long embedNanos = 0;
        try {
            StartedBatch.EmbeddedTexts embedded = batch.awaitVectors();
            embedNanos = embedded.nanos();
            started = System.nanoTime();
            emit(indexer.applyPrepared(batch.prepared(), embedded.byText()).updates());
            batch.entries().forEach(entry -> quarantine.succeeded(entry.value));
        } catch (RuntimeException e) {
            if (FailureCause.isInfrastructure(e)) {
                throw e;
            }
            applyOneByOne(batch.entries(), batch.plans());
        }
        // the batch's own work (the model's time, wherever it ran, and the stream thread's), not the time it queued
        budget.record(batch.tokens(), Duration.ofNanos(batch.prepareNanos() + embedNanos
                + System.nanoTime() - started));
        batch.entries().forEach(entry -> pending.delete(entry.key));
    }

    /** A batch failed for a document's sake: apply each alone, and count the failure of the one that fails. */
    private void applyOneByOne(List<KeyValue<String, DocumentChange>> batch, List<BatchIndexer.PlannedChange> plans) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                emit(indexer.applyPlanned(List.of(plans.get(i))));
                quarantine.succeeded(batch.get(i).value);
            } catch (RuntimeException e) {
                if (FailureCause.isInfrastructure(e)) {
                    throw e;
                }
                context.forward(new Record<>(batch.get(i).key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        quarantine.failed(batch.get(i).value, e), context.currentSystemTimeMs()), deadLettersChild);
            }
        }
    }

    private void emit(List<IndexUpdate> updates) {
        for (IndexUpdate update : updates) {
            applied.put(update.getDocumentId(), update);
            redo.completed(update.getDocumentId() + "@" + update.getVersion() + ":" + update.getOperation());
            context.forward(new Record<>(update.getDocumentId(), update, update.getAppliedTime().toEpochMilli()),
                    updatesChild);
        }
    }

    /** A change that will not be applied: its dead letter goes out and it leaves the buffer. */
    private void settle(KeyValue<String, DocumentChange> entry, DeadLetter deadLetter) {
        context.forward(new Record<>(entry.key.getBytes(java.nio.charset.StandardCharsets.UTF_8), deadLetter,
                context.currentSystemTimeMs()), deadLettersChild);
        pending.delete(entry.key);
        pendingCount--;
    }

    /** The pending changes (in key order) rotated to start after {@code after}, without the {@code excluded} documents. */
    private List<KeyValue<String, DocumentChange>> rotatedFrom(String after, Set<String> excluded) {
        List<KeyValue<String, DocumentChange>> waiting = new ArrayList<>(pendingCount);
        try (KeyValueIterator<String, DocumentChange> all = pending.all()) {
            all.forEachRemaining(entry -> {
                if (!excluded.contains(entry.key)) {
                    waiting.add(entry);
                }
            });
        }
        if (after == null) {
            return waiting;
        }
        int start = 0;
        while (start < waiting.size() && waiting.get(start).key.compareTo(after) <= 0) {
            start++;
        }
        List<KeyValue<String, DocumentChange>> rotated = new ArrayList<>(waiting.subList(start, waiting.size()));
        rotated.addAll(waiting.subList(0, start));
        return rotated;
    }

    @Override
    public void close() {
        // a task that goes away (rebalance, shutdown) leaves its stream thread no wake-up for a check that is gone
        if (lingerTimer != null) {
            lingerTimer.disarm();
        }
        // a batch embedding ahead is dropped with its task: its changes are still pending in the task's store
        if (ahead != null) {
            ahead.abandon();
            ahead = null;
        }
        if (lane != null) {
            lane.close();
        }
    }
}
