package io.streamrag.inference.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a folder in Hugging Face layout holds what a model needs before anything is loaded from it:
 * {@code config.json}, {@code tokenizer.json} and safetensors weights (one file, or an index whose shards are all
 * there). One message lists everything missing, so a user fixes it in one go.
 */
public final class ModelFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolder() {
    }

    /**
     * @return the folder, absolute and normalized
     * @throws IOException naming the folder and every missing file
     */
    public static Path validate(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IOException("model folder " + dir + " does not exist or is not a directory");
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("config.json", "tokenizer.json")) {
            if (!Files.isRegularFile(dir.resolve(required))) {
                missing.add(required);
            }
        }
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        if (!Files.isRegularFile(single)) {
            if (Files.isRegularFile(index)) {
                for (String shard : shardsOf(index)) {
                    if (!Files.isRegularFile(dir.resolve(shard))) {
                        missing.add(shard + " (named by model.safetensors.index.json)");
                    }
                }
            } else {
                missing.add("model.safetensors or model.safetensors.index.json (only safetensors weights are read)");
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException("model folder " + dir + " is incomplete, missing: " + String.join(", ", missing));
        }
        return dir;
    }

    /** The distinct shard files a {@code model.safetensors.index.json} names in its weight map, in order. */
    public static Set<String> shardsOf(Path index) throws IOException {
        JsonNode weightMap = JSON.readTree(index.toFile()).get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new IOException(index + " has no weight_map");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.elements().forEachRemaining(v -> shards.add(v.asText()));
        return shards;
    }
}
