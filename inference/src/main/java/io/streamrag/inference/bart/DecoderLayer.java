package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import io.streamrag.inference.bart.BartWeights.DecoderLayerWeights;

/**
 * A post-LN decoder layer: cached causal self-attention, cross-attention over the encoder's precomputed keys and
 * values, feed-forward; each followed by residual add and layer norm.
 */
final class DecoderLayer {
    private final DecoderLayerWeights weights;
    private final Attention selfAttention;
    private final Attention crossAttention;
    private final FeedForward feedForward;
    private final double eps;

    DecoderLayer(DecoderLayerWeights weights, BartConfig config) {
        this.weights = weights;
        this.selfAttention = new Attention(weights.selfAttention(), config.decoderAttentionHeads(), config.dModel());
        this.crossAttention = new Attention(weights.crossAttention(), config.decoderAttentionHeads(), config.dModel());
        this.feedForward = new FeedForward(weights.feedForward(),
                FeedForward.Kind.fromConfig(config.activationFunction()));
        this.eps = config.layerNormEps();
    }

    /** Cross-attention keys and values of an encoder output; computed once per request. */
    NDArray[] crossKeysAndValues(NDArray encoderStates) {
        return crossAttention.keysAndValues(encoderStates);
    }

    /**
     * @param x the new decoder positions {@code [rows, length, d_model]}
     * @param cache this layer's slot in the request's cache; its self-attention keys/values grow by {@code length}
     * @param causalMask additive {@code [length, past + length]}, or null when {@code length == 1}
     */
    NDArray forward(NDArray x, BartDecoderState.LayerCache cache, NDArray causalMask, NDArray encoderMask) {
        NDArray[] fresh = selfAttention.keysAndValues(x);
        NDArray[] all = cache.appendSelf(fresh[0], fresh[1]);
        NDArray h = weights.selfAttentionNorm().apply(x.add(selfAttention.forward(x, all[0], all[1], causalMask)), eps);
        NDArray crossed = crossAttention.forward(h, cache.crossKeys(), cache.crossValues(), encoderMask);
        h = weights.crossAttentionNorm().apply(h.add(crossed), eps);
        return weights.finalNorm().apply(h.add(feedForward.forward(h)), eps);
    }
}
