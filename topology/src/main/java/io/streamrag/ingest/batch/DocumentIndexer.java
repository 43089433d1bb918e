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

    public DocumentIndexer(String appliedStoreName, String pendingStoreName, BatchingSettings batching,
                           BatchIndexer indexer, IngestMetrics metrics, WorkBudget budget, RedoCounter redo,
                           ChangeQuarantine quarantine, String updatesChild, String deadLettersChild) {
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
        if (pendingCount >= batching.maxDocuments()) {
            flush();
        }
    }

    private void flushIfLingered(long now) {
        if (pendingCount == 0) {
            lingerTimer.disarm();
        } else if (now - oldestPendingSince >= batching.linger().toMillis()) {
            flush();
        }
    }

    private void flush() {
        List<KeyValue<String, DocumentChange>> waiting = new ArrayList<>(pendingCount);
        try (KeyValueIterator<String, DocumentChange> all = pending.all()) {
            all.forEachRemaining(waiting::add);
        }
        if (waiting.isEmpty()) {
            pendingCount = 0;
            lingerTimer.disarm();
            return;
        }
        long allowance = budget.allowance();
        long tokens = 0;
        List<KeyValue<String, DocumentChange>> batch = new ArrayList<>();
        List<BatchIndexer.PlannedChange> plans = new ArrayList<>();
        for (KeyValue<String, DocumentChange> entry : fromLastFlushed(waiting)) {
            if (!plans.isEmpty() && plans.size() >= batching.maxDocuments()) {
                break;
            }
            if (quarantine.quarantined(entry.value)) {
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
        if (!batch.isEmpty()) {
            long started = System.nanoTime();
            try {
                emit(indexer.applyPlanned(plans));
                batch.forEach(entry -> quarantine.succeeded(entry.value));
            } catch (RuntimeException e) {
                if (FailureCause.isInfrastructure(e)) {
                    throw e;
                }
                applyOneByOne(batch, plans);
            }
            budget.record(tokens, Duration.ofNanos(System.nanoTime() - started));
            batch.forEach(entry -> pending.delete(entry.key));
            lastFlushed = batch.get(batch.size() - 1).key;
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
    }

    /** The waiting changes (in key order) rotated to start after the last flushed document. */
    private List<KeyValue<String, DocumentChange>> fromLastFlushed(List<KeyValue<String, DocumentChange>> waiting) {
        if (lastFlushed == null) {
            return waiting;
        }
        int start = 0;
        while (start < waiting.size() && waiting.get(start).key.compareTo(lastFlushed) <= 0) {
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
    }
}
