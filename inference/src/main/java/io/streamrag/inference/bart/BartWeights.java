package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;

/**
 * The tensors of a BART model and nothing else, grouped the way the layers use them. Linear weights keep
 * Hugging Face's {@code [out, in]} layout, which the fused linear op takes as is.
 *
 * @param tokenEmbedding the shared token table {@code [vocab, d_model]}, used by encoder, decoder and LM head
 * @param lmHead the output projection; the same array as {@code tokenEmbedding} when the checkpoint ties them
 * @param finalLogitsBias {@code [vocab]}, zeros when the checkpoint has none
 */
public record BartWeights(
        NDArray tokenEmbedding,
        NDArray lmHead,
        NDArray finalLogitsBias,
        StackWeights<EncoderLayerWeights> encoder,
        StackWeights<DecoderLayerWeights> decoder) {

    /** A fused linear layer: {@code y = x W^T + b}. */
    public record Linear(NDArray weight, NDArray bias) {
        /** The result belongs to {@code x}'s manager. */
        public NDArray apply(NDArray x) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }
    }

    /** Layer normalisation's gain and shift over the last axis. */
    public record Norm(NDArray gamma, NDArray beta) {
        /** The result belongs to {@code x}'s manager. */
        public NDArray apply(NDArray x, double eps) {
            return LayerNorm.layerNorm(x, gamma.getShape(), gamma, beta, (float) eps).singletonOrThrow();
        }
    }

    public record AttentionWeights(Linear query, Linear key, Linear value, Linear output) {
    }

    public record FeedForwardWeights(Linear fc1, Linear fc2) {
    }

    public record EncoderLayerWeights(
            AttentionWeights selfAttention, Norm selfAttentionNorm, FeedForwardWeights feedForward, Norm finalNorm) {
    }

    public record DecoderLayerWeights(
            AttentionWeights selfAttention, Norm selfAttentionNorm,
            AttentionWeights crossAttention, Norm crossAttentionNorm,
            FeedForwardWeights feedForward, Norm finalNorm) {
    }

    /** One side (encoder or decoder): its learned positions, the norm after the embeddings, and its layers. */
    public record StackWeights<L>(NDArray positions, Norm embeddingNorm, List<L> layers) {
    }
}
