package io.streamrag.inference.checkpoint.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.inference.checkpoint.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which files of a hub repository a model needs: its config, tokenizer, the sentence-transformers module list and
 * pooling config when it has them, and its safetensors weights (one file, or the index and every shard it names).
 * Some names are only known after reading earlier files, so the plan walks the repository through a
 * {@link FileSource}, the same walk serving the cache-only and the online case.
 */
final class ModelFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> REQUIRED = List.of("config.json", "tokenizer.json");
    static final List<String> OPTIONAL = List.of(
            "generation_config.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "sentence_bert_config.json",
            "modules.json");
    static final String SINGLE_WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";
    private static final String POOLING_MODULE_TYPE = "sentence_transformers.models.Pooling";

    /** Gives one file of the snapshot being resolved. */
    interface FileSource {
        /**
         * @return the local path, or empty when the file does not exist in the repository and is optional
         * @throws HubException.EntryNotFound when it does not exist and is required
         */
        Optional<Path> file(String path, boolean required) throws IOException;

        /** The snapshot folder the files were placed in; known once a file was had. */
        Path snapshotFolder();
    }

    private ModelFiles() {
    }

    /** Fetches every file the model needs through the source; returns their repository paths in order. */
    static List<String> fetchAll(FileSource source, String what) throws IOException {
        Set<String> fetched = new LinkedHashSet<>();
        for (String name : REQUIRED) {
            source.file(name, true);
            fetched.add(name);
        }
        for (String name : OPTIONAL) {
            source.file(name, false).ifPresent(p -> fetched.add(name));
        }
        if (fetched.contains("modules.json")) {
            for (String pooling : poolingConfigs(source.snapshotFolder().resolve("modules.json"))) {
                // modules.json lists it, so the model is incomplete without it
                source.file(pooling, true);
                fetched.add(pooling);
            }
        }
        if (source.file(SINGLE_WEIGHTS, false).isPresent()) {
            fetched.add(SINGLE_WEIGHTS);
        } else if (source.file(WEIGHTS_INDEX, false).isPresent()) {
            fetched.add(WEIGHTS_INDEX);
            for (String shard : ModelFolder.shardsOf(source.snapshotFolder().resolve(WEIGHTS_INDEX))) {
                source.file(shard, true);
                fetched.add(shard);
            }
        } else {
            throw new HubException.EntryNotFound(what + " has neither " + SINGLE_WEIGHTS + " nor " + WEIGHTS_INDEX
                    + ": only safetensors weights are supported (convert pytorch_model.bin with the hub's"
                    + " safetensors converter)");
        }
        return List.copyOf(fetched);
    }

    /** The {@code <path>/config.json} of every pooling module in a sentence-transformers {@code modules.json}. */
    static List<String> poolingConfigs(Path modulesJson) throws IOException {
        JsonNode modules = JSON.readTree(modulesJson.toFile());
        List<String> configs = new ArrayList<>();
        if (modules == null || !modules.isArray()) {
            throw new IOException(modulesJson + " is not a JSON array of modules");
        }
        for (JsonNode module : modules) {
            String type = module.path("type").asText("");
            String path = module.path("path").asText("");
            if (type.equals(POOLING_MODULE_TYPE) && !path.isEmpty()) {
                configs.add(path + "/config.json");
            }
        }
        return configs;
    }
}
