package io.streamrag.inference.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every encoder-based embedder does around its model: tokenise, run the encoder (in a per-call NDManager scope
 * when it computes on DJL arrays), pool, normalise, copy out to Java arrays. The scope is opened and closed here and
 * nowhere else, so a call leaves no native arrays behind.
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
    /** Exactly one of {@code encoder} (with its {@code parent} manager) and {@code hostEncoder} is set. */
    private final NDManager parent;
    private final Encoder encoder;
    private final HostEncoder hostEncoder;
    private final Timer embedTime;
    private final Counter texts;

    private EmbeddingPipeline(EmbeddingTokenizer tokenizer, Pooling pooling, boolean normalize, NDManager parent,
                              Encoder encoder, HostEncoder hostEncoder, String modelName, MeterRegistry registry) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
        this.parent = parent;
        this.encoder = encoder;
        this.hostEncoder = hostEncoder;
        this.embedTime = Timer.builder("streamrag.embedder.call")
                .description("time to embed one batch of texts, tokenising included")
                .tag("model", modelName).register(registry);
        this.texts = Counter.builder("streamrag.embedder.texts")
                .tag("model", modelName).register(registry);
    }

    /** Around a model that computes on DJL arrays; every call's scope is a sub-manager of {@code parent}. */
    static EmbeddingPipeline onArrays(EmbeddingTokenizer tokenizer, Pooling pooling, boolean normalize,
                                      NDManager parent, Encoder encoder, String modelName, MeterRegistry registry) {
        return new EmbeddingPipeline(tokenizer, pooling, normalize, parent, encoder, null, modelName, registry);
    }

    /**
     * Around a model that runs outside PyTorch, with pooling and normalising in plain Java, so that no NDManager
     * (and no PyTorch engine) is needed around the model.
     */
    static EmbeddingPipeline onHost(EmbeddingTokenizer tokenizer, Pooling pooling, boolean normalize,
                                    HostEncoder encoder, String modelName, MeterRegistry registry) {
        return new EmbeddingPipeline(tokenizer, pooling, normalize, null, null, encoder, modelName, registry);
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

    /** One vector per text, in input order. */
    List<float[]> embed(List<String> input) {
        if (input.isEmpty()) {
            return List.of();
        }
        return embedTime.record(() -> {
            TokenBatch batch = tokenizer.encode(input);
            List<float[]> vectors = hostEncoder != null ? onHost(batch) : onArrays(batch);
            texts.increment(batch.size());
            return vectors;
        });
    }

    private List<float[]> onArrays(TokenBatch batch) {
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
            return rows(flat, flat.length / batch.size());
        }
    }

    private List<float[]> onHost(TokenBatch batch) {
        HiddenStates hidden = hostEncoder.encode(batch);
        long[] shape = hidden.shape();
        int dim = Math.toIntExact(shape[shape.length - 1]);
        float[] pooled = shape.length == 3
                ? pooling.pool(hidden.values(), Math.toIntExact(shape[1]), dim, batch.attentionMask())
                : hidden.values();
        if (normalize) {
            Pooling.normalizeRows(pooled, dim);
        }
        return rows(pooled, dim);
    }

    /** Splits row-major {@code [n, dim]} values into one array per row. */
    private static List<float[]> rows(float[] flat, int dim) {
        List<float[]> vectors = new ArrayList<>(flat.length / dim);
        for (int from = 0; from < flat.length; from += dim) {
            vectors.add(Arrays.copyOfRange(flat, from, from + dim));
        }
        return vectors;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
