package io.streamrag.inference.worker;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One model per key for the whole process: the first {@link #acquire} loads it, later ones share it, and the last
 * {@link Lease#close()} closes it (freeing its native memory). Lets the ingest and the QA topology of one process
 * use a single embedder without knowing about each other.
 *
 * @param <M> the model type, e.g. a {@code BatchingEmbedder}
 */
public final class SharedModels<M extends AutoCloseable> {

    /** Loads a model; called at most once per key while any lease on it is open. */
    @FunctionalInterface
    public interface Loader<M> {
        M load() throws IOException;
    }

    private static final class Entry<M> {
        final M model;
        int holders;

        Entry(M model) {
            this.model = model;
        }
    }

    /** A hold on a shared model; close it exactly when done with the model. */
    public final class Lease implements AutoCloseable {
        private final String key;
        private final M model;
        private boolean released;

        private Lease(String key, M model) {
            this.key = key;
            this.model = model;
        }

        public M model() {
            return model;
        }

        @Override
        public void close() {
            synchronized (SharedModels.this) {
                if (released) {
                    return;
                }
                released = true;
                release(key);
            }
        }
    }

    private final Map<String, Entry<M>> entries = new HashMap<>();

    /** Loading happens under this object's lock, so two threads asking for one key never load it twice. */
    public synchronized Lease acquire(String key, Loader<M> loader) throws IOException {
        Entry<M> entry = entries.get(key);
        if (entry == null) {
            entry = new Entry<>(loader.load());
            entries.put(key, entry);
        }
        entry.holders++;
        return new Lease(key, entry.model);
    }

    /** How many keys have a loaded model. */
    public synchronized int loaded() {
        return entries.size();
    }

    private void release(String key) {
        Entry<M> entry = entries.get(key);
        if (--entry.holders > 0) {
            return;
        }
        entries.remove(key);
        try {
            entry.model.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing shared model '" + key + "' failed", e);
        }
    }
}
