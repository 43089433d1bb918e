package io.streamrag.inference.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}. Tensors are found by their Hugging Face parameter names.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<String, SafetensorsFile> fileByTensor;

    private Checkpoint(Path directory, Map<String, SafetensorsFile> fileByTensor) {
        this.directory = directory;
        this.fileByTensor = fileByTensor;
    }

    public static Checkpoint open(Path directory) throws IOException {
        Path single = directory.resolve("model.safetensors");
        Path index = directory.resolve("model.safetensors.index.json");
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            file.names().forEach(n -> byTensor.put(n, file));
        } else if (Files.isRegularFile(index)) {
            JsonNode weightMap = JSON.readTree(index.toFile()).get("weight_map");
            if (weightMap == null) {
                throw new IOException(index + " has no weight_map");
            }
            Map<String, SafetensorsFile> shards = new HashMap<>();
            for (var it = weightMap.fields(); it.hasNext(); ) {
                var e = it.next();
                String shardName = e.getValue().asText();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = SafetensorsFile.open(directory.resolve(shardName));
                    shards.put(shardName, shard);
                }
                byTensor.put(e.getKey(), shard);
            }
        } else {
            throw new IOException(directory + " has neither model.safetensors nor model.safetensors.index.json");
        }
        return new Checkpoint(directory, byTensor);
    }

    public Path directory() {
        return directory;
    }

    public Set<String> names() {
        return fileByTensor.keySet();
    }

    public boolean contains(String name) {
        return fileByTensor.containsKey(name);
    }

    public SafetensorsFile.TensorInfo info(String name) {
        return file(name).info(name);
    }

    /** Loads a tensor as float32 onto the manager's device. */
    public NDArray load(String name, NDManager manager) {
        return file(name).loadFloat32(name, manager);
    }

    /** Reads a tensor as a float32 Java array (row-major), for graph builders that do not run on DJL. */
    public float[] readFloat32(String name) {
        return file(name).readFloat32(name);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = fileByTensor.get(name);
        if (file == null) {
            throw new IllegalArgumentException("checkpoint " + directory + " has no tensor named " + name);
        }
        return file;
    }
}
