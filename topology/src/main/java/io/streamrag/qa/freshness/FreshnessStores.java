package io.streamrag.qa.freshness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The state read-your-writes keeps in one QA topology: the global applied-versions store, the changelogged store of
 * waiting questions, and the newest applied time (shared by every task of the instance, like the global store).
 */
public record FreshnessStores(String appliedStore, String waitingStore, AtomicLong lastAppliedMs) {

    public static FreshnessStores named(String appliedStore, String waitingStore) {
        return new FreshnessStores(appliedStore, waitingStore, AppliedVersions.unknownLastApplied());
    }

    AppliedVersions appliedVersions(org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String,
            io.streamrag.contracts.IndexUpdate> updates) {
        return new AppliedVersions(updates, lastAppliedMs);
    }

    /** The global store's processor: records what the ingest applied. */
    public org.apache.kafka.streams.processor.api.Processor<String, io.streamrag.contracts.IndexUpdate, Void, Void>
            recorder() {
        return new IndexUpdateRecorder(appliedStore, lastAppliedMs);
    }
}
