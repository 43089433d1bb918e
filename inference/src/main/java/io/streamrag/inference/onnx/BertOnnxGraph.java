package io.streamrag.inference.onnx;

import io.streamrag.inference.bert.BertConfig;
import io.streamrag.inference.bert.BertLoader;
import io.streamrag.inference.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The ONNX graph of a BERT-family encoder (BERT, MiniLM, BGE, E5, DPR: what {@link BertConfig} accepts), built from a
 * Hugging Face folder ({@code config.json} + safetensors) without Python or an exporter.
 *
 * <p>Each layer is written with ONNX Runtime's fused CPU kernels, the graph its own optimiser makes of an exported
 * BERT: {@code com.microsoft.Attention} (one [hidden, 3·hidden] QKV projection, scaled softmax with the padding
 * mask, context) then MatMul + {@code SkipLayerNormalization} (output bias, residual, LayerNorm in one pass), and
 * MatMul + {@code BiasGelu} (exact erf GELU) + MatMul + {@code SkipLayerNormalization} for the feed-forward block.
 * Embeddings are plain Gather/Add/LayerNormalization. Weights are transposed here from Hugging Face's [out, in] to
 * MatMul's [in, out] once, at build time.
 *
 * <p>Inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}: int64 [batch, sequence]. Outputs
 * {@code last_hidden_state} [batch, sequence, hidden] and, when a pooling is asked for, {@code sentence_embedding}
 * [batch, hidden] (mean over the unmasked tokens, or the first token).
 */
public final class BertOnnxGraph {
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";
    public static final String SENTENCE_EMBEDDING = "sentence_embedding";

    /** How the graph pools token vectors into {@link #SENTENCE_EMBEDDING}. */
    public enum Pooling { NONE, MEAN, CLS }

    private final BertConfig config;
    private final Checkpoint checkpoint;
    private final String prefix;
    private final OnnxGraph graph;

    private BertOnnxGraph(BertConfig config, Checkpoint checkpoint) {
        this.config = config;
        this.checkpoint = checkpoint;
        this.prefix = BertLoader.encoderPrefix(checkpoint);
        this.graph = new OnnxGraph("bert_encoder");
    }

    /** The serialised model for the folder's encoder, pooled as asked. */
    public static byte[] build(Path folder, Pooling pooling) throws IOException {
        BertConfig config = BertConfig.read(folder.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(folder);
        try {
            return new BertOnnxGraph(config, checkpoint).encoder(pooling).toModelBytes();
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot build an ONNX graph of the BERT encoder in " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    private OnnxGraph encoder(Pooling pooling) {
        graph.input("input_ids", OnnxGraph.INT64, "batch", "sequence")
                .input("attention_mask", OnnxGraph.INT64, "batch", "sequence")
                .input("token_type_ids", OnnxGraph.INT64, "batch", "sequence");
        String hidden = embeddings();
        String mask = graph.node("Cast", "attention_mask").attr("to", (long) OnnxGraph.INT32).to("mask_int32");
        for (int i = 0; i < config.layerCount(); i++) {
            hidden = layer(i, hidden, mask);
        }
        String last = graph.node("Identity", hidden).to(LAST_HIDDEN_STATE);
        graph.output(LAST_HIDDEN_STATE, OnnxGraph.FLOAT, "batch", "sequence", (long) config.hiddenSize());
        if (pooling != Pooling.NONE) {
            pool(pooling, last);
            graph.output(SENTENCE_EMBEDDING, OnnxGraph.FLOAT, "batch", (long) config.hiddenSize());
        }
        return graph;
    }

    /** word + position (0..sequence-1) + token type embeddings, then LayerNorm. */
    private String embeddings() {
        long h = config.hiddenSize();
        String words = weight("embeddings.word_embeddings.weight", config.vocabSize(), h);
        String positions = weight("embeddings.position_embeddings.weight", config.maxPositions(), h);
        String x = graph.node("Gather", words, "input_ids").to("word_vectors");
        String length = graph.node("Shape", "input_ids").attr("start", 1L).attr("end", 2L).to("sequence_length");
        String zero = graph.int64s("zero_1d", new long[] {1}, 0);
        String usedPositions = graph.node("Slice", positions, zero, length, zero).to("position_vectors");
        x = graph.node("Add", x, usedPositions).to("word_plus_position");
        if (checkpoint.contains(prefix + "embeddings.token_type_embeddings.weight")) {
            String types = weight("embeddings.token_type_embeddings.weight", config.typeVocabSize(), h);
            String typeVectors = graph.node("Gather", types, "token_type_ids").to("type_vectors");
            x = graph.node("Add", x, typeVectors).to("embedding_sum");
        }
        return graph.node("LayerNormalization", x, norm("embeddings.LayerNorm", true), norm("embeddings.LayerNorm", false))
                .attr("axis", -1L).attr("epsilon", config.layerNormEps()).to("embeddings");
    }

    private String layer(int index, String x, String mask) {
        String p = "encoder.layer." + index + ".";
        long h = config.hiddenSize();
        for (String part : new String[] {"query", "key", "value"}) {
            requireShape(p + "attention.self." + part + ".weight", h, h);
            requireShape(p + "attention.self." + part + ".bias", h);
        }
        String qkv = graph.floats(p + "attention.qkv.weight", new long[] {h, 3 * h}, () -> concatTransposed(
                p + "attention.self.query.weight", p + "attention.self.key.weight", p + "attention.self.value.weight"));
        String qkvBias = graph.floats(p + "attention.qkv.bias", new long[] {3 * h}, () -> concat(
                p + "attention.self.query.bias", p + "attention.self.key.bias", p + "attention.self.value.bias"));
        String context = graph.node("Attention", x, qkv, qkvBias, mask).microsoft()
                .attr("num_heads", (long) config.headCount()).to(p + "context");
        String projected = graph.node("MatMul", context, transposed(p + "attention.output.dense.weight", h, h))
                .to(p + "attention_projected");
        String attended = skipLayerNorm(projected, x, p + "attention.output", p + "attention_out");

        long inner = config.intermediateSize();
        String up = graph.node("MatMul", attended, transposed(p + "intermediate.dense.weight", inner, h))
                .to(p + "intermediate");
        String activated = graph.node("BiasGelu", up, weight(p + "intermediate.dense.bias", inner)).microsoft()
                .to(p + "gelu");
        String down = graph.node("MatMul", activated, transposed(p + "output.dense.weight", h, inner))
                .to(p + "ffn_out");
        return skipLayerNorm(down, attended, p + "output", p + "out");
    }

    /** LayerNorm(input + residual + dense bias) in one kernel. */
    private String skipLayerNorm(String input, String residual, String block, String output) {
        return graph.node("SkipLayerNormalization", input, residual, norm(block + ".LayerNorm", true),
                        norm(block + ".LayerNorm", false), weight(block + ".dense.bias", config.hiddenSize()))
                .microsoft().attr("epsilon", config.layerNormEps()).to(output);
    }

    private void pool(Pooling pooling, String hidden) {
        if (pooling == Pooling.CLS) {
            String first = graph.int64s("first_token", new long[0], 0);
            graph.node("Gather", hidden, first).attr("axis", 1L).to(SENTENCE_EMBEDDING);
            return;
        }
        // sentence-transformers' mean: sum(hidden * mask) / max(sum(mask), 1e-9)
        String maskFloat = graph.node("Cast", "attention_mask").attr("to", (long) OnnxGraph.FLOAT).to("mask_float");
        String two = graph.int64s("axis_2", new long[] {1}, 2);
        String one = graph.int64s("axis_1", new long[] {1}, 1);
        String weights = graph.node("Unsqueeze", maskFloat, two).to("mask_weights");
        String masked = graph.node("Mul", hidden, weights).to("masked_hidden");
        String summed = graph.node("ReduceSum", masked, one).attr("keepdims", 0L).to("summed_hidden");
        String counts = graph.node("ReduceSum", weights, one).attr("keepdims", 0L).to("token_counts");
        String floor = graph.scalar("count_floor", 1e-9f);
        String safeCounts = graph.node("Max", counts, floor).to("safe_counts");
        graph.node("Div", summed, safeCounts).to(SENTENCE_EMBEDDING);
    }

    /** LayerNorm gamma (weight) or beta (bias), also under the old gamma/beta names. */
    private String norm(String block, boolean gamma) {
        String name = block + (gamma ? ".weight" : ".bias");
        String old = block + (gamma ? ".gamma" : ".beta");
        String found = checkpoint.contains(prefix + name) || !checkpoint.contains(prefix + old) ? name : old;
        return weight(found, config.hiddenSize());
    }

    /** A checkpoint tensor as is, after checking its shape. */
    private String weight(String name, long... shape) {
        requireShape(name, shape);
        return graph.floats(name, shape, () -> checkpoint.readFloat32(prefix + name));
    }

    /** A Linear weight [out, in] as MatMul's [in, out]. */
    private String transposed(String name, long out, long in) {
        requireShape(name, out, in);
        return graph.floats(name + ".T", new long[] {in, out},
                () -> transpose(checkpoint.readFloat32(prefix + name), (int) out, (int) in));
    }

    /** Three [out, in] weights side by side as one [in, 3·out] MatMul weight (Attention's QKV layout). */
    private float[] concatTransposed(String... names) {
        int h = config.hiddenSize();
        float[] result = new float[h * 3 * h];
        for (int part = 0; part < names.length; part++) {
            float[] w = checkpoint.readFloat32(prefix + names[part]);
            for (int o = 0; o < h; o++) {
                for (int i = 0; i < h; i++) {
                    result[i * 3 * h + part * h + o] = w[o * h + i];
                }
            }
        }
        return result;
    }

    private float[] concat(String... names) {
        int h = config.hiddenSize();
        float[] result = new float[3 * h];
        for (int part = 0; part < names.length; part++) {
            System.arraycopy(checkpoint.readFloat32(prefix + names[part]), 0, result, part * h, h);
        }
        return result;
    }

    private void requireShape(String name, long... shape) {
        if (!checkpoint.contains(prefix + name)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.directory() + " has no tensor "
                    + prefix + name);
        }
        long[] actual = checkpoint.info(prefix + name).shape();
        if (!Arrays.equals(actual, shape)) {
            throw new IllegalArgumentException("tensor " + prefix + name + " has shape "
                    + Arrays.toString(actual) + ", config.json implies " + Arrays.toString(shape));
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
