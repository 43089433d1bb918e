package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.checkpoint.Checkpoint;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.nn.Activation;
import io.streamrag.inference.nn.Embeddings;
import io.streamrag.inference.nn.EncoderLayer;
import io.streamrag.inference.nn.FeedForward;
import io.streamrag.inference.nn.LayerNorm;
import io.streamrag.inference.nn.Linear;
import io.streamrag.inference.nn.MultiHeadAttention;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps Hugging Face BART parameter names to the blocks of {@link BartWeights}: the one place that knows the
 * checkpoint layout.
 *
 * <p>Released BART checkpoints differ in how they store the tied token table: some keep every alias
 * ({@code model.shared.weight}, both {@code embed_tokens}, {@code lm_head.weight}), others keep a single copy under
 * any one of those names (the others listed as aliases in the safetensors {@code __metadata__}) and omit
 * {@code lm_head.weight} and {@code final_logits_bias}. Checkpoints saved from a bare {@code BartModel} have no
 * {@code model.} prefix. All of these load here.
 */
final class BartCheckpointLoader {

    private BartCheckpointLoader() {
    }

    /** Loads every tensor onto the manager's device in {@code precision}; all arrays belong to {@code manager}. */
    static BartWeights load(Checkpoint checkpoint, BartConfig config, NDManager manager, Precision precision) {
        return new Reader(checkpoint, config, manager, precision).weights();
    }

    private static final class Reader {
        private final Checkpoint checkpoint;
        private final BartConfig config;
        private final NDManager manager;
        private final Precision precision;
        private final Activation activation;
        private final String prefix;

        Reader(Checkpoint checkpoint, BartConfig config, NDManager manager, Precision precision) {
            this.checkpoint = checkpoint;
            this.config = config;
            this.manager = manager;
            this.precision = precision;
            this.activation = Activation.fromConfig(config.activationFunction());
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
                    : manager.zeros(new Shape(config.vocabSize()), precision.dataType());
            return new BartWeights(embeddings(prefix + "encoder.", tokens), encoderLayers(),
                    embeddings(prefix + "decoder.", tokens), decoderLayers(), new Linear(lmHead, bias));
        }

        private Embeddings embeddings(String stackPrefix, NDArray tokens) {
            NDArray positions = tensor(stackPrefix + "embed_positions.weight",
                    config.maxPositionEmbeddings() + BartConfig.POSITION_OFFSET, config.dModel());
            return new Embeddings(tokens, config.embedScale(), positions, BartConfig.POSITION_OFFSET, null,
                    norm(stackPrefix + "layernorm_embedding"));
        }

        private List<EncoderLayer> encoderLayers() {
            List<EncoderLayer> layers = new ArrayList<>();
            for (int i = 0; i < config.encoderLayers(); i++) {
                String l = prefix + "encoder.layers." + i + ".";
                layers.add(new EncoderLayer(
                        attention(l + "self_attn.", config.encoderAttentionHeads()), norm(l + "self_attn_layer_norm"),
                        feedForward(l, config.encoderFfnDim()), norm(l + "final_layer_norm")));
            }
            return List.copyOf(layers);
        }

        private List<DecoderLayer> decoderLayers() {
            List<DecoderLayer> layers = new ArrayList<>();
            for (int i = 0; i < config.decoderLayers(); i++) {
                String l = prefix + "decoder.layers." + i + ".";
                int heads = config.decoderAttentionHeads();
                layers.add(new DecoderLayer(
                        attention(l + "self_attn.", heads), norm(l + "self_attn_layer_norm"),
                        attention(l + "encoder_attn.", heads), norm(l + "encoder_attn_layer_norm"),
                        feedForward(l, config.decoderFfnDim()), norm(l + "final_layer_norm")));
            }
            return List.copyOf(layers);
        }

        private MultiHeadAttention attention(String p, int heads) {
            int d = config.dModel();
            return new MultiHeadAttention(linear(p + "q_proj", d, d), linear(p + "k_proj", d, d),
                    linear(p + "v_proj", d, d), linear(p + "out_proj", d, d), heads);
        }

        private FeedForward feedForward(String layerPrefix, int ffnDim) {
            int d = config.dModel();
            return new FeedForward(linear(layerPrefix + "fc1", ffnDim, d), linear(layerPrefix + "fc2", d, ffnDim),
                    activation);
        }

        private Linear linear(String p, int out, int in) {
            return new Linear(tensor(p + ".weight", out, in), tensor(p + ".bias", out));
        }

        private LayerNorm norm(String p) {
            return new LayerNorm(tensor(p + ".weight", config.dModel()), tensor(p + ".bias", config.dModel()),
                    (float) config.layerNormEps());
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
            return precision.narrow(checkpoint.load(name, manager));
        }
    }
}
