package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The per-request state of BART decoding, i.e. its cache: per decoder layer the self-attention keys/values of
 * every position decoded so far, and the cross-attention keys/values of the encoder output (computed once by
 * {@link BartModel#encode}); plus the encoder padding mask. Owns one {@link NDManager}; closing the state frees
 * everything. One row per hypothesis; rows can be duplicated (beam expansion) and permuted (beam reordering).
 * Not thread-safe: one request, one thread.
 */
public final class BartDecoderState implements AutoCloseable {
    private final NDManager manager;
    private final LayerCache[] layers;
    private NDArray encoderMask;
    private int rows;
    private int length;

    BartDecoderState(NDManager manager, NDArray[][] crossKeysAndValues, NDArray encoderMask) {
        this.manager = manager;
        this.layers = new LayerCache[crossKeysAndValues.length];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerCache(crossKeysAndValues[i][0], crossKeysAndValues[i][1]);
        }
        this.encoderMask = encoderMask;
        this.rows = (int) encoderMask.getShape().get(0);
    }

    /** Hypotheses decoded in parallel. */
    public int rows() {
        return rows;
    }

    /** Decoder positions already in the cache (the decoder start token included once fed). */
    public int length() {
        return length;
    }

    /** The manager owning the cache; decoding scopes are opened under it. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Makes row {@code i} a copy of old row {@code sourceRows[i]}, for everything: self-attention cache,
     * cross-attention keys/values and encoder mask. Use it to expand each input to its beams
     * ({@code [0,0,0,0,1,1,1,1,...]}) or to select documents; the row count may change.
     */
    public void selectRows(int[] sourceRows) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = indexArray(scope, sourceRows);
            for (LayerCache layer : layers) {
                layer.selfKeysTransposed = gatherRows(layer.selfKeysTransposed, index);
                layer.selfValues = gatherRows(layer.selfValues, index);
                layer.crossKeysTransposed = gatherRows(layer.crossKeysTransposed, index);
                layer.crossValues = gatherRows(layer.crossValues, index);
            }
            encoderMask = gatherRows(encoderMask, index);
        }
        rows = sourceRows.length;
    }

    /**
     * A new state with its own manager whose row {@code i} is a copy of this state's row {@code sourceRows[i]}
     * (cross-attention keys/values, encoder mask and any self-attention cache); this state is left as it is. Lets
     * one encoding serve several decodings: generation, then teacher-forced passes over chosen rows.
     */
    public BartDecoderState copyRows(int[] sourceRows) {
        NDManager copyManager = manager.getParentManager().newSubManager();
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = indexArray(scope, sourceRows);
            NDArray[][] cross = new NDArray[layers.length][];
            for (int i = 0; i < layers.length; i++) {
                cross[i] = new NDArray[] {copyOf(layers[i].crossKeysTransposed, index, copyManager),
                        copyOf(layers[i].crossValues, index, copyManager)};
            }
            BartDecoderState copy = new BartDecoderState(copyManager, cross, copyOf(encoderMask, index, copyManager));
            for (int i = 0; i < layers.length; i++) {
                copy.layers[i].selfKeysTransposed = copyOf(layers[i].selfKeysTransposed, index, copyManager);
                copy.layers[i].selfValues = copyOf(layers[i].selfValues, index, copyManager);
            }
            copy.length = length;
            return copy;
        } catch (RuntimeException e) {
            copyManager.close();
            throw e;
        }
    }

    /**
     * Beam reordering: makes row {@code i}'s self-attention cache old row {@code sourceRows[i]}'s. The
     * cross-attention state is left in place, which is right only when every source row belongs to the same
     * input as its target row (beam search never moves a hypothesis to another input; use
     * {@link #selectRows} otherwise).
     */
    public void reorderSelfAttention(int[] sourceRows) {
        if (sourceRows.length != rows) {
            throw new IllegalArgumentException("reorder needs " + rows + " rows, got " + sourceRows.length);
        }
        if (isIdentity(sourceRows) || length == 0) {
            return;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = indexArray(scope, sourceRows);
            for (LayerCache layer : layers) {
                layer.selfKeysTransposed = gatherRows(layer.selfKeysTransposed, index);
                layer.selfValues = gatherRows(layer.selfValues, index);
            }
        }
    }

    NDArray encoderMask() {
        return encoderMask;
    }

    LayerCache layer(int i) {
        return layers[i];
    }

    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }

    private NDArray indexArray(NDManager scope, int[] sourceRows) {
        long[] index = new long[sourceRows.length];
        for (int i = 0; i < index.length; i++) {
            if (sourceRows[i] < 0 || sourceRows[i] >= rows) {
                throw new IllegalArgumentException("row " + sourceRows[i] + " out of range [0, " + rows + ")");
            }
            index[i] = sourceRows[i];
        }
        return scope.create(index);
    }

    /** The gathered array belongs to this state's manager; the old one is freed. */
    private NDArray gatherRows(NDArray array, NDArray index) {
        if (array == null) {
            return null;
        }
        NDArray gathered = array.get(index);
        gathered.attach(manager);
        array.close();
        return gathered;
    }

    private static NDArray copyOf(NDArray array, NDArray index, NDManager target) {
        if (array == null) {
            return null;
        }
        NDArray gathered = array.get(index);
        gathered.attach(target);
        return gathered;
    }

    private static boolean isIdentity(int[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** One decoder layer's slice of the cache. */
    final class LayerCache {
        private NDArray selfKeysTransposed;
        private NDArray selfValues;
        private NDArray crossKeysTransposed;
        private NDArray crossValues;

        LayerCache(NDArray crossKeysTransposed, NDArray crossValues) {
            this.crossKeysTransposed = crossKeysTransposed;
            this.crossValues = crossValues;
        }

        NDArray crossKeys() {
            return crossKeysTransposed;
        }

        NDArray crossValues() {
            return crossValues;
        }

        /**
         * Appends the new positions' keys {@code [rows, heads, head_dim, n]} and values {@code [rows, heads, n,
         * head_dim]}; returns the whole cached keys and values. The cache takes ownership of what it keeps.
         */
        NDArray[] appendSelf(NDArray keysTransposed, NDArray values) {
            selfKeysTransposed = append(selfKeysTransposed, keysTransposed, 3);
            selfValues = append(selfValues, values, 2);
            return new NDArray[] {selfKeysTransposed, selfValues};
        }

        private NDArray append(NDArray cached, NDArray fresh, int axis) {
            NDArray merged = cached == null ? fresh : cached.concat(fresh, axis);
            merged.attach(manager);
            if (cached != null) {
                cached.close();
            }
            return merged;
        }
    }
}
