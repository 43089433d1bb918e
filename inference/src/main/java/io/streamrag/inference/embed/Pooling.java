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

        @Override
        float[] pool(float[] hidden, int length, int dim, long[][] attentionMask) {
            int batch = attentionMask.length;
            float[] pooled = new float[batch * dim];
            for (int b = 0; b < batch; b++) {
                float count = 0;
                for (int t = 0; t < length; t++) {
                    float weight = attentionMask[b][t];
                    count += weight;
                    int from = (b * length + t) * dim;
                    for (int d = 0; d < dim; d++) {
                        pooled[b * dim + d] += hidden[from + d] * weight;
                    }
                }
                float divisor = Math.max(count, 1e-9f);
                for (int d = 0; d < dim; d++) {
                    pooled[b * dim + d] /= divisor;
                }
            }
            return pooled;
        }
    },
    /** The first token's vector ([CLS]); BGE and DPR embed this way. */
    CLS {
        @Override
        NDArray pool(NDArray hidden, NDArray attentionMask) {
            return hidden.get(":, 0, :");
        }

        @Override
        float[] pool(float[] hidden, int length, int dim, long[][] attentionMask) {
            int batch = attentionMask.length;
            float[] pooled = new float[batch * dim];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hidden, b * length * dim, pooled, b * dim, dim);
            }
            return pooled;
        }
    };

    /** hidden: float32 [batch, length, dim]; attentionMask: int64 [batch, length]. Returns [batch, dim]. */
    abstract NDArray pool(NDArray hidden, NDArray attentionMask);

    /**
     * The same pooling in plain Java over a row-major [batch, length, dim] buffer, for embedders whose model runs
     * outside PyTorch (ONNX Runtime): pooling there must not start the PyTorch engine just to average a few rows.
     * Returns [batch, dim] row-major.
     */
    abstract float[] pool(float[] hidden, int length, int dim, long[][] attentionMask);

    /** As torch.nn.functional.normalize over each [dim] row, in place: an all-zero row stays zero instead of NaN. */
    static void normalizeRows(float[] rows, int dim) {
        for (int from = 0; from < rows.length; from += dim) {
            double squares = 0;
            for (int d = 0; d < dim; d++) {
                squares += (double) rows[from + d] * rows[from + d];
            }
            float norm = Math.max((float) Math.sqrt(squares), 1e-12f);
            for (int d = 0; d < dim; d++) {
                rows[from + d] /= norm;
            }
        }
    }

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
