package io.streamrag.inference.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default {@link GenerationSettings} of a Hugging Face model folder, as {@code generate()} would use them:
 * {@code generation_config.json} when present, else the generation keys of {@code config.json} (older
 * checkpoints keep them there), else Hugging Face's global defaults. Special token ids missing from
 * {@code generation_config.json} fall back to {@code config.json}. With no max length set anywhere, Hugging Face
 * generates 20 new tokens (max length 21 for encoder-decoders), capped at {@code max_position_embeddings}.
 */
public final class GenerationConfigFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_NEW_TOKENS = 20;

    private GenerationConfigFiles() {
    }

    public static GenerationSettings read(Path modelDirectory) throws IOException {
        JsonNode model = JSON.readTree(modelDirectory.resolve("config.json").toFile());
        Path generationFile = modelDirectory.resolve("generation_config.json");
        JsonNode generation = Files.isRegularFile(generationFile) ? JSON.readTree(generationFile.toFile()) : model;
        int eos = intOr(generation, model, "eos_token_id", 2);
        int maxPositions = model.path("max_position_embeddings").asInt(Integer.MAX_VALUE);
        int maxLength = generation.hasNonNull("max_length")
                ? generation.get("max_length").asInt()
                : Math.min(1 + DEFAULT_NEW_TOKENS, maxPositions);
        JsonNode newTokens = generation.path("max_new_tokens");
        int beams = generation.path("num_beams").asInt(1);
        return new GenerationSettings(
                beams,
                Math.min(beams, generation.path("num_return_sequences").asInt(1)),
                maxLength,
                newTokens.isNumber() ? newTokens.asInt() : null,
                generation.path("min_length").asInt(0),
                generation.path("length_penalty").asDouble(1.0),
                earlyStopping(generation.path("early_stopping")),
                generation.path("no_repeat_ngram_size").asInt(0),
                optionalInt(generation, "forced_bos_token_id"),
                optionalInt(generation, "forced_eos_token_id"),
                intOr(generation, model, "decoder_start_token_id", intOr(generation, model, "bos_token_id", eos)),
                eos,
                intOr(generation, model, "pad_token_id", 1));
    }

    /** HF accepts true, false and the string "never". */
    static GenerationSettings.EarlyStopping earlyStopping(JsonNode node) {
        if (node.isBoolean()) {
            return node.asBoolean() ? GenerationSettings.EarlyStopping.TRUE : GenerationSettings.EarlyStopping.FALSE;
        }
        if (node.isTextual() && node.asText().equals("never")) {
            return GenerationSettings.EarlyStopping.NEVER;
        }
        if (node.isMissingNode() || node.isNull()) {
            return GenerationSettings.EarlyStopping.FALSE;
        }
        throw new IllegalArgumentException("early_stopping must be true, false or \"never\", was " + node);
    }

    private static Integer optionalInt(JsonNode node, String key) {
        JsonNode v = node.path(key);
        return v.isNumber() ? v.asInt() : null;
    }

    /** EOS may be a list in newer configs; BART has one id, take the first. */
    private static int intOr(JsonNode first, JsonNode second, String key, int fallback) {
        for (JsonNode n : new JsonNode[] {first, second}) {
            JsonNode v = n == null ? MissingNode.getInstance() : n.path(key);
            if (v.isArray() && v.size() > 0) {
                v = v.get(0);
            }
            if (v.isNumber()) {
                return v.asInt();
            }
        }
        return fallback;
    }
}
