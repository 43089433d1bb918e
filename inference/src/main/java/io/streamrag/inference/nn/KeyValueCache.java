package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One attention's keys and values of one request, owned by the request's manager: the self-attention cache of a
 * decoder layer (grown by {@link #append} every step) or the cross-attention keys/values of an encoder output (set
 * once). One row per hypothesis; rows can be gathered for beam expansion and reordering. Not thread-safe.
 */
public final class KeyValueCache {
    private final NDManager owner;
    private NDArray keysTransposed;
    private NDArray values;

    /** An empty cache. */
    public KeyValueCache(NDManager owner) {
        this.owner = owner;
    }

    /** A cache holding {@code initial}, which it takes into {@code owner}. */
    public KeyValueCache(NDManager owner, KeysAndValues initial) {
        this(owner);
        this.keysTransposed = initial.keysTransposed();
        this.values = initial.values();
        keysTransposed.attach(owner);
        values.attach(owner);
    }

    /** What is cached; null arrays while nothing is. */
    public KeysAndValues all() {
        return new KeysAndValues(keysTransposed, values);
    }

    /** Appends the new positions along the key axis and returns everything cached; the old arrays are freed. */
    public KeysAndValues append(KeysAndValues fresh) {
        keysTransposed = concat(keysTransposed, fresh.keysTransposed(), 3);
        values = concat(values, fresh.values(), 2);
        return all();
    }

    /** Makes row {@code i} a copy of old row {@code index[i]} (int64 indices); the row count may change. */
    public void gatherRows(NDArray index) {
        keysTransposed = replace(keysTransposed, gather(keysTransposed, index, owner));
        values = replace(values, gather(values, index, owner));
    }

    /** A new cache in {@code target} whose row {@code i} is this cache's row {@code index[i]}; this one is kept. */
    public KeyValueCache copyRows(NDArray index, NDManager target) {
        KeyValueCache copy = new KeyValueCache(target);
        copy.keysTransposed = gather(keysTransposed, index, target);
        copy.values = gather(values, index, target);
        return copy;
    }

    private NDArray concat(NDArray cached, NDArray fresh, int axis) {
        NDArray merged = cached == null ? fresh : cached.concat(fresh, axis);
        merged.attach(owner);
        if (cached != null) {
            cached.close();
        }
        return merged;
    }

    private static NDArray replace(NDArray old, NDArray gathered) {
        if (old != null) {
            old.close();
        }
        return gathered;
    }

    private static NDArray gather(NDArray array, NDArray index, NDManager target) {
        if (array == null) {
            return null;
        }
        NDArray gathered = array.get(index);
        gathered.attach(target);
        return gathered;
    }
}
