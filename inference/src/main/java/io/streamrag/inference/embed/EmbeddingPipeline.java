package io.streamrag.inference.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;

/**
 * What every encoder-based embedder does around its model: tokenise, run the encoder in a per-call NDManager scope,
 * pool, normalise, copy out to Java arrays. The scope is opened and closed here and nowhere else, so a call leaves
 * no native arrays behind.
 */
final class EmbeddingPipeline implements AutoCloseable {

    /** The model step: int64 [batch, length] inputs to [batch, length, dim] hidden states (or [batch, dim]). */
    @FunctionalInterface
    interface Encoder {
        NDArray encode(NDArray ids, NDArray typeIds, NDArray attentionMask);
    }

    /**
     * The model step of an embedder that runs outside PyTorch: token ids in, hidden states out as a Java buffer,
     * [batch, length, dim] or already pooled [batch, dim]. Whatever native memory it uses it frees before returning.
     */
    @FunctionalInterface
    interface HostEncoder {
        HiddenStates encode(TokenBatch batch);
    }

    /** Row-major float32 values with their shape, copied out of the model's output. */
    record HiddenStates(float[] values, long[] shape) {
    }

    private final EmbeddingTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean normalize;
    private final NDManager parent;
    private final Timer embedTime;
    private final Counter texts;

    /** @param parent the manager {@link Encoder} calls scope from; null when only {@link HostEncoder}s are used */
    EmbeddingPipeline(EmbeddingTokenizer tokenizer, Pooling pooling, boolean normalize, NDManager parent,
                      String modelName, MeterRegistry registry) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
        this.parent = parent;
        this.embedTime = Timer.builder("streamrag.embedder.call")
                .description("time to embed one batch of texts, tokenising included")
                .tag("model", modelName).register(registry);
        this.texts = Counter.builder("streamrag.embedder.texts")
                .tag("model", modelName).register(registry);
    }

    EmbeddingTokenizer tokenizer() {
        return tokenizer;
    }

    Pooling pooling() {
        return pooling;
    }

    boolean normalize() {
        return normalize;
    }

    List<float[]> embed(List<String> input, Encoder encoder) {
        if (input.isEmpty()) {
            return List.of();
        }
        return embedTime.record(() -> {
            TokenBatch batch = tokenizer.encode(input);
            List<float[]> vectors = new ArrayList<>(batch.size());
            try (NDManager scope = parent.newSubManager()) {
                NDArray ids = scope.create(batch.ids());
                NDArray typeIds = scope.create(batch.typeIds());
                NDArray mask = scope.create(batch.attentionMask());
                NDArray out = encoder.encode(ids, typeIds, mask).toType(DataType.FLOAT32, false);
                NDArray pooled = out.getShape().dimension() == 3 ? pooling.pool(out, mask) : out;
                if (normalize) {
                    // as torch.nn.functional.normalize: an all-zero vector stays zero instead of becoming NaN
                    pooled = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f));
                }
                float[] flat = pooled.toFloatArray();
                int dim = flat.length / batch.size();
                for (int i = 0; i < batch.size(); i++) {
                    float[] row = new float[dim];
                    System.arraycopy(flat, i * dim, row, 0, dim);
                    vectors.add(row);
                }
            }
            texts.increment(batch.size());
            return vectors;
        });
    }

    /**
     * As {@link #embed(List, Encoder)}, with pooling and normalising in plain Java, so that no NDManager (and no
     * PyTorch engine) is needed around the model.
     */
    List<float[]> embed(List<String> input, HostEncoder encoder) {
        if (input.isEmpty()) {
            return List.of();
        }
        return embedTime.record(() -> {
            TokenBatch batch = tokenizer.encode(input);
            HiddenStates hidden = encoder.encode(batch);
            long[] shape = hidden.shape();
            int dim = Math.toIntExact(shape[shape.length - 1]);
            float[] pooled = shape.length == 3
                    ? pooling.pool(hidden.values(), Math.toIntExact(shape[1]), dim, batch.attentionMask())
                    : hidden.values();
            if (normalize) {
                Pooling.normalizeRows(pooled, dim);
            }
            List<float[]> vectors = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                float[] row = new float[dim];
                System.arraycopy(pooled, i * dim, row, 0, dim);
                vectors.add(row);
            }
            texts.increment(batch.size());
            return vectors;
        });
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
