package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A post-LN transformer encoder layer, as BERT's and BART's:
 * {@code h = LN(x + SelfAttn(x)); out = LN(h + FFN(h))}.
 */
public final class EncoderLayer {
    private final MultiHeadAttention attention;
    private final LayerNorm attentionNorm;
    private final FeedForward feedForward;
    private final LayerNorm outputNorm;

    public EncoderLayer(MultiHeadAttention attention, LayerNorm attentionNorm, FeedForward feedForward,
                        LayerNorm outputNorm) {
        this.attention = attention;
        this.attentionNorm = attentionNorm;
        this.feedForward = feedForward;
        this.outputNorm = outputNorm;
    }

    /**
     * Runs the layer in its own scope so its intermediates (attention scores are [batch, heads, length, length]) are
     * freed before the next layer starts, instead of piling up until the whole batch ends.
     *
     * @param additiveMask {@code [batch, 1, 1, length]}: 0 for tokens, a large negative for padding
     * @return {@code [batch, length, width]}, belonging to {@code hidden}'s manager
     */
    public NDArray forward(NDArray hidden, NDArray additiveMask) {
        NDManager caller = hidden.getManager();
        try (NDManager layerScope = caller.newSubManager()) {
            layerScope.tempAttachAll(hidden, additiveMask);
            NDArray h = attentionNorm.apply(hidden.add(attention.forward(hidden, additiveMask)));
            NDArray out = outputNorm.apply(h.add(feedForward.forward(h)));
            out.attach(caller);
            return out;
        }
    }
}
