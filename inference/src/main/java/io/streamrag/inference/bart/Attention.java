package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import io.streamrag.inference.bart.BartWeights.AttentionWeights;

/**
 * Multi-head scaled dot-product attention with separate query and key/value inputs, so one class serves encoder
 * self-attention, cached decoder self-attention and cross-attention over precomputed encoder keys/values.
 * Values travel in the head-split layout {@code [batch, heads, length, head_dim]}, keys already transposed to
 * {@code [batch, heads, head_dim, length]}: the score matmul then needs no per-step transpose, and no temporary
 * view of a cached key (which would belong to the cache's manager and pin old cache storage) is ever made.
 */
final class Attention {
    private final AttentionWeights weights;
    private final int heads;
    private final float scaling;

    Attention(AttentionWeights weights, int heads, int dModel) {
        this.weights = weights;
        this.heads = heads;
        this.scaling = (float) Math.pow((double) dModel / heads, -0.5);
    }

    /**
     * Projects {@code x [batch, length, d_model]} to transposed keys {@code [batch, heads, head_dim, length]} and
     * values {@code [batch, heads, length, head_dim]}.
     */
    NDArray[] keysAndValues(NDArray x) {
        NDArray keysTransposed = splitHeads(weights.key().apply(x)).transpose(0, 1, 3, 2);
        return new NDArray[] {keysTransposed, splitHeads(weights.value().apply(x))};
    }

    /**
     * @param x queries' input {@code [batch, length, d_model]}
     * @param keysTransposed {@code [batch, heads, head_dim, keyLength]}
     * @param values {@code [batch, heads, keyLength, head_dim]}
     * @param additiveMask broadcastable to {@code [batch, heads, length, keyLength]} (0 or a large negative), or null
     * @return {@code [batch, length, d_model]}, belonging to {@code x}'s manager
     */
    NDArray forward(NDArray x, NDArray keysTransposed, NDArray values, NDArray additiveMask) {
        NDArray query = splitHeads(weights.query().apply(x).mul(scaling));
        NDArray scores = query.matMul(keysTransposed);
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        NDArray context = scores.softmax(-1).matMul(values);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        return weights.output().apply(context.transpose(0, 2, 1, 3).reshape(batch, length, -1));
    }

    private NDArray splitHeads(NDArray x) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        return x.reshape(batch, length, heads, -1).transpose(0, 2, 1, 3);
    }
}
