package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;

/**
 * A dense layer {@code y = x W^T + b} with Hugging Face's weight layout {@code [out, in]}, which PyTorch's fused
 * linear op takes as is.
 */
public record Linear(NDArray weight, NDArray bias) {

    /** The result belongs to {@code x}'s manager. */
    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
