package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head scaled dot-product attention with its four projections. Queries and keys/values come in apart, so one
 * class serves encoder self-attention (BERT, BART), cached decoder self-attention and cross-attention over keys and
 * values projected once ({@link #project}, kept in a {@link KeyValueCache}). The query is scaled before the score
 * matmul, which is cheaper than scaling the {@code [batch, heads, queries, keys]} scores.
 */
public final class MultiHeadAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final int heads;
    private final float scaling;

    public MultiHeadAttention(Linear query, Linear key, Linear value, Linear output, int heads) {
        long width = query.weight().getShape().get(0);
        if (width % heads != 0) {
            throw new IllegalArgumentException("attention width " + width + " is not a multiple of " + heads
                    + " heads");
        }
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.heads = heads;
        this.scaling = (float) Math.pow((double) width / heads, -0.5);
    }

    /** Projects {@code x [batch, length, width]} to this attention's keys and values, in {@code x}'s manager. */
    public KeysAndValues project(NDArray x) {
        NDArray keysTransposed = splitHeads(key.apply(x)).transpose(0, 1, 3, 2);
        return new KeysAndValues(keysTransposed, splitHeads(value.apply(x)));
    }

    /** Self-attention: {@code x} attends to itself. */
    public NDArray forward(NDArray x, NDArray additiveMask) {
        return forward(x, project(x), additiveMask);
    }

    /**
     * @param x the queries' input {@code [batch, length, width]}
     * @param keysAndValues what the queries attend to ({@code keys} long)
     * @param additiveMask broadcastable to {@code [batch, heads, length, keys]} (0 or a large negative), or null
     * @return {@code [batch, length, width]}, belonging to {@code x}'s manager
     */
    public NDArray forward(NDArray x, KeysAndValues keysAndValues, NDArray additiveMask) {
        NDArray scores = splitHeads(query.apply(x).mul(scaling)).matMul(keysAndValues.keysTransposed());
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        NDArray context = scores.softmax(-1).matMul(keysAndValues.values());
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        return output.apply(context.transpose(0, 2, 1, 3).reshape(batch, length, -1));
    }

    /** {@code [batch, length, width]} to {@code [batch, heads, length, head_dim]}. */
    private NDArray splitHeads(NDArray x) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        return x.reshape(batch, length, heads, -1).transpose(0, 2, 1, 3);
    }
}
