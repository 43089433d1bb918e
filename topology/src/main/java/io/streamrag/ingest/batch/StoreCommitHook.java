package io.streamrag.ingest.batch;

import io.streamrag.store.VectorStore;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Makes the vector store's writes durable once per Kafka commit, before it: a state store that holds nothing and,
 * when Kafka Streams prepares a task's commit, calls {@link VectorStore#flush()} (the Lucene commit).
 *
 * <p>Why this hook: the batches write into the store as they are applied and become searchable at once (the Lucene
 * store's near-real-time reader), but durability costs a commit (fsync), so it is made once per Kafka commit instead
 * of once per batch. It must come <em>before</em> the Kafka transaction commits the batch's offsets and outputs: a
 * crash after the offsets committed but before the store's commit would lose writes that Kafka no longer replays.
 * Kafka Streams 4.3 runs the public {@link StateStore#commit} after the transaction commits (too late); what it runs
 * before, in {@code StreamTask.prepareCommit}, is {@link CachedStateStore#flushCache()} on every store of the task,
 * so this store implements that (an internal interface: {@code StoreCommitHookTest} pins the order). If the flush
 * throws, the commit does not happen: the stream thread dies, the transaction aborts and the batch is replayed
 * (idempotently). A crash after the store's commit and before Kafka's replays a batch the store already holds: the
 * same idempotent rewrite.
 */
public final class StoreCommitHook implements StateStore, CachedStateStore<Object, Object> {

    private final String name;
    private final VectorStore store;
    private volatile boolean open;

    StoreCommitHook(String name, VectorStore store) {
        this.name = name;
        this.store = store;
    }

    /** A builder for {@code Topology.addStateStore}: one hook per task, no changelog. */
    public static StoreBuilder<StoreCommitHook> builder(String name, VectorStore store) {
        return new Builder(name, store);
    }

    /** Kafka Streams is about to commit this task: make every store write so far durable. */
    @Override
    public void flushCache() {
        store.flush();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void clearCache() {
        // nothing is cached here
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            // nothing to restore: the vector store is its own storage
        });
        open = true;
    }

    @Override
    public void close() {
        open = false; // the role owns the vector store and closes it
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private record Builder(String name, VectorStore store) implements StoreBuilder<StoreCommitHook> {

        @Override
        public StoreBuilder<StoreCommitHook> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<StoreCommitHook> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<StoreCommitHook> withLoggingEnabled(Map<String, String> config) {
            throw new UnsupportedOperationException("the commit hook has no changelog");
        }

        @Override
        public StoreBuilder<StoreCommitHook> withLoggingDisabled() {
            return this;
        }

        @Override
        public StoreCommitHook build() {
            return new StoreCommitHook(name, store);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return false;
        }
    }
}
