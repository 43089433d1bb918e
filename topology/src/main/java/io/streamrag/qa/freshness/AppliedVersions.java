package io.streamrag.qa.freshness;

import io.streamrag.contracts.IndexUpdate;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the ingest has applied, as the QA role learnt it from the {@code IndexUpdate} topic: the last update of each
 * document (a global store, so every QA task sees every document whatever partition its questions come from) and
 * the newest applied time, for the answers' store age.
 */
public final class AppliedVersions {

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final ReadOnlyKeyValueStore<String, IndexUpdate> updates;
    private final AtomicLong lastAppliedMs;

    AppliedVersions(ReadOnlyKeyValueStore<String, IndexUpdate> updates, AtomicLong lastAppliedMs) {
        this.updates = updates;
        this.lastAppliedMs = lastAppliedMs;
    }

    /** The applied version of the document (a delete counts: it is applied too), or null when none is known. */
    public Long version(String documentId) {
        IndexUpdate update = updates.get(documentId);
        return update == null ? null : update.getVersion();
    }

    /** The newest applied time seen, or null when nothing was ever applied. */
    public Long lastAppliedMs() {
        if (lastAppliedMs.get() == UNKNOWN) {
            // after a restart the global store is restored without its processor: find the newest once
            long newest = UNKNOWN + 1;
            try (KeyValueIterator<String, IndexUpdate> all = updates.all()) {
                while (all.hasNext()) {
                    newest = Math.max(newest, all.next().value.getAppliedTime().toEpochMilli());
                }
            }
            lastAppliedMs.accumulateAndGet(newest, Math::max);
        }
        long last = lastAppliedMs.get();
        return last <= UNKNOWN + 1 ? null : last;
    }

    static AtomicLong unknownLastApplied() {
        return new AtomicLong(UNKNOWN);
    }
}
