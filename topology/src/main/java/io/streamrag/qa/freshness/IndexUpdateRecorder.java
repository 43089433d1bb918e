package io.streamrag.qa.freshness;

import io.streamrag.contracts.IndexUpdate;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest {@code IndexUpdate} of each document in the applied-versions global store. The store holds the
 * topic's own records (key = document id), because Streams restores a global store straight from the topic without
 * this processor; keeping the higher version guards against an older update replayed after a newer one.
 */
final class IndexUpdateRecorder implements Processor<String, IndexUpdate, Void, Void> {

    private final String storeName;
    private final AtomicLong lastAppliedMs;
    private final AtomicLong updatesRecorded;
    private KeyValueStore<String, IndexUpdate> store;

    IndexUpdateRecorder(String storeName, AtomicLong lastAppliedMs, AtomicLong updatesRecorded) {
        this.storeName = storeName;
        this.lastAppliedMs = lastAppliedMs;
        this.updatesRecorded = updatesRecorded;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, IndexUpdate> record) {
        IndexUpdate update = record.value();
        if (update == null || update.getDocumentId() == null) {
            return; // nothing to learn from a tombstone; the ingest never writes one
        }
        IndexUpdate known = store.get(update.getDocumentId());
        if (known == null || known.getVersion() <= update.getVersion()) {
            store.put(update.getDocumentId(), update);
        }
        lastAppliedMs.accumulateAndGet(update.getAppliedTime().toEpochMilli(), Math::max);
        updatesRecorded.incrementAndGet();
    }
}
