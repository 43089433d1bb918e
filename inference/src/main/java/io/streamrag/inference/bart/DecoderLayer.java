package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import io.streamrag.inference.nn.FeedForward;
import io.streamrag.inference.nn.KeysAndValues;
import io.streamrag.inference.nn.LayerNorm;
import io.streamrag.inference.nn.MultiHeadAttention;

/**
 * A post-LN decoder layer: cached causal self-attention, cross-attention over the encoder's precomputed keys and
 * values, feed-forward; each followed by residual add and layer norm.
 */
final class DecoderLayer {
    private final MultiHeadAttention selfAttention;
    private final LayerNorm selfAttentionNorm;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm crossAttentionNorm;
    private final FeedForward feedForward;
    private final LayerNorm finalNorm;

    DecoderLayer(MultiHeadAttention selfAttention, LayerNorm selfAttentionNorm, MultiHeadAttention crossAttention,
                 LayerNorm crossAttentionNorm, FeedForward feedForward, LayerNorm finalNorm) {
        this.selfAttention = selfAttention;
        this.selfAttentionNorm = selfAttentionNorm;
        this.crossAttention = crossAttention;
        this.crossAttentionNorm = crossAttentionNorm;
        this.feedForward = feedForward;
        this.finalNorm = finalNorm;
    }

    /** Cross-attention keys and values of an encoder output; computed once per request. */
    KeysAndValues crossKeysAndValues(NDArray encoderStates) {
        return crossAttention.project(encoderStates);
    }

    /**
     * @param x the new decoder positions {@code [rows, length, d_model]}
     * @param cache this layer's slot in the request's cache; its self-attention keys/values grow by {@code length}
     * @param causalMask additive {@code [length, past + length]}, or null when {@code length == 1}
     */
    NDArray forward(NDArray x, BartDecoderState.LayerCache cache, NDArray causalMask, NDArray encoderMask) {
        KeysAndValues seen = cache.self().append(selfAttention.project(x));
        NDArray h = selfAttentionNorm.apply(x.add(selfAttention.forward(x, seen, causalMask)));
        NDArray crossed = crossAttention.forward(h, cache.cross().all(), encoderMask);
        h = crossAttentionNorm.apply(h.add(crossed));
        return finalNorm.apply(h.add(feedForward.forward(h)));
    }
}
