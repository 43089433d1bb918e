package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Multi-head self-attention with its output projection, residual and LayerNorm (BERT's post-LN block). */
final class SelfAttention {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final LayerNorm norm;
    private final int heads;
    private final int headSize;

    SelfAttention(Linear query, Linear key, Linear value, Linear output, LayerNorm norm, int heads, int headSize) {
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.norm = norm;
        this.heads = heads;
        this.headSize = headSize;
    }

    /** x: [batch, length, hidden]; additiveMask: [batch, 1, 1, length], 0 for tokens, a huge negative for padding. */
    NDArray forward(NDArray x, NDArray additiveMask) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        NDArray q = splitHeads(query.apply(x), batch, length);
        NDArray k = splitHeads(key.apply(x), batch, length);
        NDArray v = splitHeads(value.apply(x), batch, length);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize)).add(additiveMask);
        NDArray context = scores.softmax(-1).matMul(v)
                .transpose(0, 2, 1, 3)
                .reshape(batch, length, (long) heads * headSize);
        return norm.apply(output.apply(context).add(x));
    }

    /** [batch, length, hidden] to [batch, heads, length, headSize]. */
    private NDArray splitHeads(NDArray x, long batch, long length) {
        return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
    }
}
