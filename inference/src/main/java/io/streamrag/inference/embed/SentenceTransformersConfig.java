package io.streamrag.inference.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a sentence-transformers model folder says about pooling, normalisation and input length: {@code modules.json}
 * naming a Pooling module folder (usually {@code 1_Pooling/config.json}) and maybe a Normalize module, or a bare
 * {@code pooling_config.json}; {@code sentence_bert_config.json} for {@code max_seq_length}.
 */
public record SentenceTransformersConfig(Pooling pooling, boolean normalize, OptionalInt maxSeqLength) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Empty when the folder is a plain Hugging Face model without sentence-transformers files. */
    public static Optional<SentenceTransformersConfig> read(Path directory) throws IOException {
        Path modules = directory.resolve("modules.json");
        Path bareConfig = directory.resolve("pooling_config.json");
        Pooling pooling;
        boolean normalize;
        if (Files.isRegularFile(modules)) {
            pooling = null;
            normalize = false;
            for (JsonNode module : JSON.readTree(modules.toFile())) {
                String type = module.path("type").asText("");
                if (type.endsWith(".Pooling")) {
                    pooling = readPooling(directory.resolve(module.path("path").asText("")).resolve("config.json"));
                } else if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
            }
            if (pooling == null) {
                throw new IOException(modules + " lists no sentence_transformers.models.Pooling module");
            }
        } else if (Files.isRegularFile(bareConfig)) {
            // A sentence-transformers model exported without modules.json: its models normalise by convention.
            pooling = readPooling(bareConfig);
            normalize = true;
        } else {
            return Optional.empty();
        }
        return Optional.of(new SentenceTransformersConfig(pooling, normalize, maxSeqLength(directory)));
    }

    static Pooling readPooling(Path config) throws IOException {
        JsonNode c = JSON.readTree(config.toFile());
        if (c.has("pooling_mode")) {
            return Pooling.parse(c.get("pooling_mode").asText());
        }
        if (c.path("pooling_mode_cls_token").asBoolean(false)) {
            return Pooling.CLS;
        }
        if (c.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return Pooling.MEAN;
        }
        throw new IOException(config + ": only mean and cls pooling are supported");
    }

    private static OptionalInt maxSeqLength(Path directory) throws IOException {
        Path file = directory.resolve("sentence_bert_config.json");
        if (!Files.isRegularFile(file)) {
            return OptionalInt.empty();
        }
        JsonNode max = JSON.readTree(file.toFile()).get("max_seq_length");
        return max != null && max.canConvertToInt() ? OptionalInt.of(max.asInt()) : OptionalInt.empty();
    }
}
