package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;

/** Layer normalisation over the last axis, with its gain, shift and epsilon. */
public record LayerNorm(NDArray gamma, NDArray beta, float eps) {

    /** The result belongs to {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, gamma.getShape(), gamma, beta, eps).singletonOrThrow();
    }
}
