package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import io.streamrag.inference.bart.BartWeights.EncoderLayerWeights;

/** A post-LN encoder layer: {@code x = LN(x + SelfAttn(x)); x = LN(x + FFN(x))}. */
final class EncoderLayer {
    private final EncoderLayerWeights weights;
    private final Attention selfAttention;
    private final FeedForward feedForward;
    private final double eps;

    EncoderLayer(EncoderLayerWeights weights, BartConfig config) {
        this.weights = weights;
        this.selfAttention = new Attention(weights.selfAttention(), config.encoderAttentionHeads(), config.dModel());
        this.feedForward = new FeedForward(weights.feedForward(),
                FeedForward.Kind.fromConfig(config.activationFunction()));
        this.eps = config.layerNormEps();
    }

    /** @param paddingMask additive {@code [batch, 1, 1, length]}: 0 for tokens, a large negative for padding */
    NDArray forward(NDArray x, NDArray paddingMask) {
        NDArray[] kv = selfAttention.keysAndValues(x);
        NDArray h = weights.selfAttentionNorm().apply(x.add(selfAttention.forward(x, kv[0], kv[1], paddingMask)), eps);
        return weights.finalNorm().apply(h.add(feedForward.forward(h)), eps);
    }
}
