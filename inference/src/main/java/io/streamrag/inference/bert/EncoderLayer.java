package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** One post-LN transformer encoder layer. */
final class EncoderLayer {
    private final SelfAttention attention;
    private final FeedForward feedForward;

    EncoderLayer(SelfAttention attention, FeedForward feedForward) {
        this.attention = attention;
        this.feedForward = feedForward;
    }

    /**
     * Runs the layer in its own scope so its intermediates (attention scores are [batch, heads, length, length]) are
     * freed before the next layer starts, instead of piling up until the whole batch ends.
     */
    NDArray forward(NDArray hidden, NDArray additiveMask) {
        NDManager caller = hidden.getManager();
        try (NDManager layerScope = caller.newSubManager()) {
            layerScope.tempAttachAll(hidden, additiveMask);
            NDArray out = feedForward.forward(attention.forward(hidden, additiveMask));
            out.attach(caller);
            return out;
        }
    }
}
