package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** BERT's position-wise feed-forward block: dense, exact GELU, dense, residual, LayerNorm. */
final class FeedForward {
    private final Linear intermediate;
    private final Linear output;
    private final LayerNorm norm;

    FeedForward(Linear intermediate, Linear output, LayerNorm norm) {
        this.intermediate = intermediate;
        this.output = output;
        this.norm = norm;
    }

    NDArray forward(NDArray x) {
        return norm.apply(output.apply(Activation.gelu(intermediate.apply(x))).add(x));
    }
}
