package io.streamrag.inference.bart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The architecture keys of a Hugging Face BART {@code config.json}. Generation defaults are read apart, by
 * {@link io.streamrag.inference.generate.GenerationConfigFiles}.
 *
 * @param tieWordEmbeddings whether the LM head is the token table (true for every released BART)
 * @param layerNormEps not a BART config key: Hugging Face hard-codes {@code nn.LayerNorm}'s default 1e-5
 */
public record BartConfig(
        int vocabSize,
        int dModel,
        int encoderLayers,
        int decoderLayers,
        int encoderAttentionHeads,
        int decoderAttentionHeads,
        int encoderFfnDim,
        int decoderFfnDim,
        String activationFunction,
        int maxPositionEmbeddings,
        boolean scaleEmbedding,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        int decoderStartTokenId,
        boolean tieWordEmbeddings,
        double layerNormEps) {

    /** Learned positional embeddings are stored with two extra leading rows (a fairseq legacy). */
    public static final int POSITION_OFFSET = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    public BartConfig {
        if (dModel % encoderAttentionHeads != 0 || dModel % decoderAttentionHeads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " is not divisible by the attention heads ("
                    + encoderAttentionHeads + ", " + decoderAttentionHeads + ")");
        }
    }

    public static BartConfig read(Path configJson) throws IOException {
        JsonNode n = JSON.readTree(configJson.toFile());
        String type = n.path("model_type").asText("bart");
        if (!type.equals("bart")) {
            throw new IOException(configJson + ": model_type is '" + type + "', only 'bart' is supported");
        }
        // mBART-style pre-LN variants share model_type in some old exports; their layers differ, so refuse them.
        if (n.path("normalize_before").asBoolean(false) || n.path("add_final_layer_norm").asBoolean(false)) {
            throw new IOException(configJson + ": pre-LN (normalize_before/add_final_layer_norm) BART variants"
                    + " are not supported");
        }
        int eos = n.path("eos_token_id").asInt(2);
        return new BartConfig(
                required(n, "vocab_size", configJson),
                required(n, "d_model", configJson),
                required(n, "encoder_layers", configJson),
                required(n, "decoder_layers", configJson),
                required(n, "encoder_attention_heads", configJson),
                required(n, "decoder_attention_heads", configJson),
                required(n, "encoder_ffn_dim", configJson),
                required(n, "decoder_ffn_dim", configJson),
                n.path("activation_function").asText("gelu"),
                n.path("max_position_embeddings").asInt(1024),
                n.path("scale_embedding").asBoolean(false),
                n.path("pad_token_id").asInt(1),
                n.path("bos_token_id").asInt(0),
                eos,
                n.path("decoder_start_token_id").asInt(eos),
                n.path("tie_word_embeddings").asBoolean(true),
                1e-5);
    }

    private static int required(JsonNode n, String key, Path file) throws IOException {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IOException(file + ": missing integer key '" + key + "'");
        }
        return v.asInt();
    }

    /** Multiplier for token embeddings: sqrt(d_model) when {@code scale_embedding}, else 1. */
    public float embedScale() {
        return scaleEmbedding ? (float) Math.sqrt(dModel) : 1f;
    }
}
