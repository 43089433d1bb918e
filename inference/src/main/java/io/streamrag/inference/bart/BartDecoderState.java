package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.nn.KeyValueCache;
import io.streamrag.inference.nn.KeysAndValues;

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

    /** Takes {@code crossKeysAndValues} (one per decoder layer) and {@code encoderMask} into {@code manager}. */
    BartDecoderState(NDManager manager, KeysAndValues[] crossKeysAndValues, NDArray encoderMask) {
        this.manager = manager;
        this.layers = new LayerCache[crossKeysAndValues.length];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerCache(new KeyValueCache(manager), new KeyValueCache(manager, crossKeysAndValues[i]));
        }
        encoderMask.attach(manager);
        this.encoderMask = encoderMask;
        this.rows = (int) encoderMask.getShape().get(0);
    }

    private BartDecoderState(NDManager manager, LayerCache[] layers, NDArray encoderMask, int length) {
        this.manager = manager;
        this.layers = layers;
        this.encoderMask = encoderMask;
        this.rows = (int) encoderMask.getShape().get(0);
        this.length = length;
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
                layer.self().gatherRows(index);
                layer.cross().gatherRows(index);
            }
            NDArray gathered = copyOf(encoderMask, index, manager);
            encoderMask.close();
            encoderMask = gathered;
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
            LayerCache[] copied = new LayerCache[layers.length];
            for (int i = 0; i < layers.length; i++) {
                copied[i] = new LayerCache(layers[i].self().copyRows(index, copyManager),
                        layers[i].cross().copyRows(index, copyManager));
            }
            return new BartDecoderState(copyManager, copied, copyOf(encoderMask, index, copyManager), length);
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
                layer.self().gatherRows(index);
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

    private static NDArray copyOf(NDArray array, NDArray index, NDManager target) {
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

    /** One decoder layer's slice of the cache: its self-attention keys/values and the cross-attention ones. */
    record LayerCache(KeyValueCache self, KeyValueCache cross) {
    }
}
