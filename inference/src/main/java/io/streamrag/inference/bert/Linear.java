package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;

/** A dense layer with Hugging Face's weight layout [out, in]; PyTorch's fused linear takes it as is. */
final class Linear {
    private final NDArray weight;
    private final NDArray bias;

    Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
