package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.streamrag.inference.bart.BartWeights.FeedForwardWeights;
import java.util.Locale;

/** The position-wise feed-forward block: {@code fc2(act(fc1(x)))}. */
final class FeedForward {
    private final FeedForwardWeights weights;
    private final Kind activation;

    /** The {@code activation_function} values BART configs use. */
    enum Kind {
        GELU, GELU_TANH, RELU, SILU;

        static Kind fromConfig(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "gelu":
                    return GELU;
                case "gelu_new":
                case "gelu_pytorch_tanh":
                case "gelu_fast":
                    return GELU_TANH;
                case "relu":
                    return RELU;
                case "silu":
                case "swish":
                    return SILU;
                default:
                    throw new IllegalArgumentException("unsupported activation_function '" + name + "'");
            }
        }
    }

    FeedForward(FeedForwardWeights weights, Kind activation) {
        this.weights = weights;
        this.activation = activation;
    }

    NDArray forward(NDArray x) {
        return weights.fc2().apply(activate(weights.fc1().apply(x)));
    }

    private NDArray activate(NDArray h) {
        switch (activation) {
            case GELU:
                return Activation.gelu(h); // the exact erf form, as torch's default gelu
            case GELU_TANH: {
                // 0.5 h (1 + tanh(sqrt(2/pi) (h + 0.044715 h^3)))
                NDArray inner = h.add(h.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
                return h.mul(inner.tanh().add(1f)).mul(0.5f);
            }
            case RELU:
                return Activation.relu(h);
            case SILU:
                return h.mul(Activation.sigmoid(h));
            default:
                throw new IllegalStateException(activation.name());
        }
    }
}
