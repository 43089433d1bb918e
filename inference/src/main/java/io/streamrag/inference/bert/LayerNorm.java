package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the hidden dimension. */
final class LayerNorm {
    private final NDArray gamma;
    private final NDArray beta;
    private final float eps;
    private final Shape normalizedShape;

    LayerNorm(NDArray gamma, NDArray beta, float eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.eps = eps;
        this.normalizedShape = gamma.getShape();
    }

    NDArray apply(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalizedShape, gamma, beta, eps).singletonOrThrow();
    }
}
