package io.streamrag.qa.freshness;

import io.streamrag.contracts.IndexUpdate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The state read-your-writes keeps in one QA topology: the global applied-versions store, the changelogged store of
 * waiting questions, the newest applied time and a count of the updates recorded (both shared by every task of the
 * instance, like the global store; the count tells a waiting question's re-check whether anything changed).
 */
public record FreshnessStores(String appliedStore, String waitingStore, AtomicLong lastAppliedMs,
                              AtomicLong updatesRecorded) {

    public static FreshnessStores named(String appliedStore, String waitingStore) {
        return new FreshnessStores(appliedStore, waitingStore, AppliedVersions.unknownLastApplied(), new AtomicLong());
    }

    AppliedVersions appliedVersions(ReadOnlyKeyValueStore<String, IndexUpdate> updates) {
        return appliedVersions(updates, documentId -> null);
    }

    /** @param storedVersion the version the vector store holds of a document the global store does not know */
    AppliedVersions appliedVersions(ReadOnlyKeyValueStore<String, IndexUpdate> updates,
                                    Function<String, Long> storedVersion) {
        return new AppliedVersions(updates, lastAppliedMs, storedVersion);
    }

    /** The global store's processor: records what the ingest applied. */
    public Processor<String, IndexUpdate, Void, Void> recorder() {
        return new IndexUpdateRecorder(appliedStore, lastAppliedMs, updatesRecorded);
    }
}
