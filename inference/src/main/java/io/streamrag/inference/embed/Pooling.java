package io.streamrag.inference.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** How token vectors become one sentence vector. */
public enum Pooling {
    /** Average of the non-padding tokens (sentence-transformers' mean pooling). */
    MEAN {
        @Override
        NDArray pool(NDArray hidden, NDArray attentionMask) {
            NDArray weights = attentionMask.toType(DataType.FLOAT32, false).expandDims(-1);
            NDArray summed = hidden.mul(weights).sum(new int[] {1});
            NDArray counts = weights.sum(new int[] {1}).maximum(1e-9f);
            return summed.div(counts);
        }
    },
    /** The first token's vector ([CLS]); BGE and DPR embed this way. */
    CLS {
        @Override
        NDArray pool(NDArray hidden, NDArray attentionMask) {
            return hidden.get(":, 0, :");
        }
    };

    /** hidden: float32 [batch, length, dim]; attentionMask: int64 [batch, length]. Returns [batch, dim]. */
    abstract NDArray pool(NDArray hidden, NDArray attentionMask);

    public static Pooling parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "mean":
                return MEAN;
            case "cls":
                return CLS;
            default:
                throw new IllegalArgumentException("pooling '" + name + "' is not one of mean, cls");
        }
    }
}
