package io.streamrag.inference.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The shape of a BERT-family encoder, read from a Hugging Face {@code config.json}. Covers BERT, MiniLM, BGE, E5
 * and DPR checkpoints: absolute positions, post-LayerNorm layers and exact (erf) GELU.
 */
public record BertConfig(int vocabSize, int hiddenSize, int layerCount, int headCount, int intermediateSize,
                         int maxPositions, int typeVocabSize, float layerNormEps, int padTokenId) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** model_type values whose checkpoints carry a plain BertModel (DPR wraps one). */
    private static final Set<String> BERT_TYPES = Set.of("bert", "dpr", "");

    public BertConfig {
        if (hiddenSize % headCount != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + headCount);
        }
    }

    public int headSize() {
        return hiddenSize / headCount;
    }

    public static BertConfig read(Path configJson) throws IOException {
        JsonNode c = JSON.readTree(configJson.toFile());
        String modelType = c.path("model_type").asText("");
        if (!BERT_TYPES.contains(modelType)) {
            // RoBERTa-style models offset position ids by the padding index and would embed silently wrong.
            throw new IllegalArgumentException(configJson + ": model_type '" + modelType
                    + "' is not supported by the BERT encoder (supported: bert, dpr)");
        }
        String act = c.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(configJson + ": hidden_act '" + act + "' is not supported (only gelu)");
        }
        String positions = c.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException(configJson + ": position_embedding_type '" + positions
                    + "' is not supported (only absolute)");
        }
        return new BertConfig(
                required(c, "vocab_size", configJson),
                required(c, "hidden_size", configJson),
                required(c, "num_hidden_layers", configJson),
                required(c, "num_attention_heads", configJson),
                required(c, "intermediate_size", configJson),
                c.path("max_position_embeddings").asInt(512),
                c.path("type_vocab_size").asInt(2),
                (float) c.path("layer_norm_eps").asDouble(1e-12),
                c.path("pad_token_id").asInt(0));
    }

    private static int required(JsonNode config, String key, Path file) {
        JsonNode v = config.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + ": missing integer '" + key + "'");
        }
        return v.asInt();
    }
}
