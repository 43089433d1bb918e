package io.streamrag.ingest.batch;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.IngestMetrics;
import io.streamrag.ingest.VersionGate;
import io.streamrag.kafka.LingerTimer;
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
 * and flush it ({@link BatchIndexer}), record the applied versions, emit one {@link IndexUpdate} per change, clear
 * the buffer. Both stores are changelogged, so under exactly_once_v2 a crash anywhere in between rolls the stores
 * and the outputs back to the last commit and the batch is applied again, idempotently. A failing flush throws: the
 * buffer keeps the batch and the stream thread dies without committing past it.
 */
public final class DocumentIndexer implements Processor<String, DocumentChange, String, IndexUpdate> {

    private final String appliedStoreName;
    private final String pendingStoreName;
    private final BatchingSettings batching;
    private final BatchIndexer indexer;
    private final IngestMetrics metrics;
    private ProcessorContext<String, IndexUpdate> context;
    private KeyValueStore<String, IndexUpdate> applied;
    private KeyValueStore<String, DocumentChange> pending;
    private int pendingCount;
    private long oldestPendingSince;
    private LingerTimer lingerTimer;

    public DocumentIndexer(String appliedStoreName, String pendingStoreName, BatchingSettings batching,
                           BatchIndexer indexer, IngestMetrics metrics) {
        this.appliedStoreName = appliedStoreName;
        this.pendingStoreName = pendingStoreName;
        this.batching = batching;
        this.indexer = indexer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, IndexUpdate> context) {
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
        List<KeyValue<String, DocumentChange>> batch = new ArrayList<>(pendingCount);
        try (KeyValueIterator<String, DocumentChange> all = pending.all()) {
            all.forEachRemaining(batch::add);
        }
        if (batch.isEmpty()) {
            pendingCount = 0;
            lingerTimer.disarm();
            return;
        }
        List<IndexUpdate> updates = indexer.apply(batch.stream().map(entry -> entry.value).toList());
        for (IndexUpdate update : updates) {
            applied.put(update.getDocumentId(), update);
            context.forward(new Record<>(update.getDocumentId(), update, update.getAppliedTime().toEpochMilli()));
        }
        for (KeyValue<String, DocumentChange> entry : batch) {
            pending.delete(entry.key);
        }
        pendingCount = 0;
        lingerTimer.disarm();
    }
}
