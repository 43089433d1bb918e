package io.streamrag.qa.freshness;

import io.streamrag.contracts.IndexUpdate;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the ingest has applied, as the QA role learnt it from the {@code IndexUpdate} topic: the last update of each
 * document (a global store, so every QA task sees every document whatever partition its questions come from) and
 * the newest applied time, for the answers' store age. A document the global store does not know may still be in
 * the vector store: its update was older than the {@code IndexUpdate} topic's retention when the global store was
 * restored (after a restart). Then the version of its stored passages counts as applied, since the ingest writes
 * the store before it reports the update.
 */
public final class AppliedVersions {

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final ReadOnlyKeyValueStore<String, IndexUpdate> updates;
    private final AtomicLong lastAppliedMs;
    private final Function<String, Long> storedVersion;

    AppliedVersions(ReadOnlyKeyValueStore<String, IndexUpdate> updates, AtomicLong lastAppliedMs,
                    Function<String, Long> storedVersion) {
        this.updates = updates;
        this.lastAppliedMs = lastAppliedMs;
        this.storedVersion = storedVersion;
    }

    /**
     * The applied version of the document (a delete counts: it is applied too), else the version the vector store
     * holds of it, or null when neither knows it.
     */
    public Long version(String documentId) {
        IndexUpdate update = updates.get(documentId);
        if (update != null) {
            return update.getVersion();
        }
        return storedVersion.apply(documentId);
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

    /** The newest version among the document's passages in {@code store}, or null when it holds none. */
    public static Function<String, Long> storedIn(VectorStore store) {
        return documentId -> store.chunksOf(documentId).stream().map(StoredChunk::version).max(Long::compare)
                .orElse(null);
    }

    static AtomicLong unknownLastApplied() {
        return new AtomicLong(UNKNOWN);
    }
}
