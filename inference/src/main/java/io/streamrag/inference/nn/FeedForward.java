package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;

/** The position-wise feed-forward block {@code out(act(in(x)))}; residual and norm belong to the layer around it. */
public record FeedForward(Linear in, Linear out, Activation activation) {

    public NDArray forward(NDArray x) {
        return out.apply(activation.apply(in.apply(x)));
    }
}
