package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.bart.BartWeights.AttentionWeights;
import io.streamrag.inference.bart.BartWeights.DecoderLayerWeights;
import io.streamrag.inference.bart.BartWeights.EncoderLayerWeights;
import io.streamrag.inference.bart.BartWeights.FeedForwardWeights;
import io.streamrag.inference.bart.BartWeights.Linear;
import io.streamrag.inference.bart.BartWeights.Norm;
import io.streamrag.inference.bart.BartWeights.StackWeights;
import io.streamrag.inference.checkpoint.Checkpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps Hugging Face BART parameter names to {@link BartWeights}: the one place that knows the checkpoint layout.
 *
 * <p>Released BART checkpoints differ in how they store the tied token table: some keep every alias
 * ({@code model.shared.weight}, both {@code embed_tokens}, {@code lm_head.weight}), others keep a single copy under
 * any one of those names (the others listed as aliases in the safetensors {@code __metadata__}) and omit
 * {@code lm_head.weight} and {@code final_logits_bias}. Checkpoints saved from a bare {@code BartModel} have no
 * {@code model.} prefix. All of these load here.
 */
public final class BartCheckpointLoader {

    private BartCheckpointLoader() {
    }

    /** Loads every tensor onto the manager's device, cast to {@code dtype}; all arrays belong to {@code manager}. */
    public static BartWeights load(Checkpoint checkpoint, BartConfig config, NDManager manager, DataType dtype) {
        return new Reader(checkpoint, config, manager, dtype).weights();
    }

    private static final class Reader {
        private final Checkpoint checkpoint;
        private final BartConfig config;
        private final NDManager manager;
        private final DataType dtype;
        private final String prefix;

        Reader(Checkpoint checkpoint, BartConfig config, NDManager manager, DataType dtype) {
            this.checkpoint = checkpoint;
            this.config = config;
            this.manager = manager;
            this.dtype = dtype;
            this.prefix = checkpoint.contains("model.encoder.layers.0.self_attn.q_proj.weight") ? "model." : "";
        }

        BartWeights weights() {
            String tokenName = firstPresent(prefix + "shared.weight", prefix + "decoder.embed_tokens.weight",
                    prefix + "encoder.embed_tokens.weight", "lm_head.weight");
            NDArray tokens = tensor(tokenName, config.vocabSize(), config.dModel());
            NDArray lmHead = tokens;
            if (!config.tieWordEmbeddings() && checkpoint.contains("lm_head.weight")) {
                lmHead = tensor("lm_head.weight", config.vocabSize(), config.dModel());
            }
            NDArray bias = checkpoint.contains("final_logits_bias")
                    ? tensor("final_logits_bias", 1, config.vocabSize()).reshape(config.vocabSize())
                    : manager.zeros(new Shape(config.vocabSize()), dtype);
            return new BartWeights(tokens, lmHead, bias, encoder(), decoder());
        }

        private StackWeights<EncoderLayerWeights> encoder() {
            String p = prefix + "encoder.";
            List<EncoderLayerWeights> layers = new ArrayList<>();
            for (int i = 0; i < config.encoderLayers(); i++) {
                String l = p + "layers." + i + ".";
                layers.add(new EncoderLayerWeights(
                        attention(l + "self_attn."), norm(l + "self_attn_layer_norm"),
                        feedForward(l, config.encoderFfnDim()), norm(l + "final_layer_norm")));
            }
            return new StackWeights<>(positions(p), norm(p + "layernorm_embedding"), List.copyOf(layers));
        }

        private StackWeights<DecoderLayerWeights> decoder() {
            String p = prefix + "decoder.";
            List<DecoderLayerWeights> layers = new ArrayList<>();
            for (int i = 0; i < config.decoderLayers(); i++) {
                String l = p + "layers." + i + ".";
                layers.add(new DecoderLayerWeights(
                        attention(l + "self_attn."), norm(l + "self_attn_layer_norm"),
                        attention(l + "encoder_attn."), norm(l + "encoder_attn_layer_norm"),
                        feedForward(l, config.decoderFfnDim()), norm(l + "final_layer_norm")));
            }
            return new StackWeights<>(positions(p), norm(p + "layernorm_embedding"), List.copyOf(layers));
        }

        private NDArray positions(String stackPrefix) {
            return tensor(stackPrefix + "embed_positions.weight",
                    config.maxPositionEmbeddings() + BartConfig.POSITION_OFFSET, config.dModel());
        }

        private AttentionWeights attention(String p) {
            int d = config.dModel();
            return new AttentionWeights(linear(p + "q_proj", d, d), linear(p + "k_proj", d, d),
                    linear(p + "v_proj", d, d), linear(p + "out_proj", d, d));
        }

        private FeedForwardWeights feedForward(String layerPrefix, int ffnDim) {
            int d = config.dModel();
            return new FeedForwardWeights(linear(layerPrefix + "fc1", ffnDim, d), linear(layerPrefix + "fc2", d, ffnDim));
        }

        private Linear linear(String p, int out, int in) {
            return new Linear(tensor(p + ".weight", out, in), tensor(p + ".bias", out));
        }

        private Norm norm(String p) {
            return new Norm(tensor(p + ".weight", config.dModel()), tensor(p + ".bias", config.dModel()));
        }

        private String firstPresent(String... names) {
            for (String n : names) {
                if (checkpoint.contains(n)) {
                    return n;
                }
            }
            throw new IllegalArgumentException("checkpoint " + checkpoint.directory()
                    + " has no token embedding under any of " + Arrays.toString(names));
        }

        private NDArray tensor(String name, long... expectedShape) {
            long[] shape = checkpoint.info(name).shape();
            if (!Arrays.equals(shape, expectedShape)) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.directory() + ": tensor " + name
                        + " has shape " + Arrays.toString(shape) + ", config.json implies "
                        + Arrays.toString(expectedShape));
            }
            NDArray fp32 = checkpoint.load(name, manager);
            if (dtype == DataType.FLOAT32) {
                return fp32;
            }
            NDArray cast = fp32.toType(dtype, false);
            fp32.close();
            return cast;
        }
    }
}
