package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/** The feed-forward activations Hugging Face configs name ({@code hidden_act}, {@code activation_function}). */
public enum Activation {
    /** The exact erf form, torch's default {@code gelu}. */
    GELU,
    /** The tanh approximation ({@code gelu_new}, {@code gelu_pytorch_tanh}, {@code gelu_fast}). */
    GELU_TANH,
    RELU,
    SILU;

    public static Activation fromConfig(String name) {
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

    public NDArray apply(NDArray h) {
        switch (this) {
            case GELU:
                return ai.djl.nn.Activation.gelu(h);
            case GELU_TANH: {
                // 0.5 h (1 + tanh(sqrt(2/pi) (h + 0.044715 h^3)))
                NDArray inner = h.add(h.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
                return h.mul(inner.tanh().add(1f)).mul(0.5f);
            }
            case RELU:
                return ai.djl.nn.Activation.relu(h);
            case SILU:
                return h.mul(ai.djl.nn.Activation.sigmoid(h));
            default:
                throw new IllegalStateException(name());
        }
    }
}
