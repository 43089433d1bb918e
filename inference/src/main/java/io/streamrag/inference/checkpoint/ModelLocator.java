package io.streamrag.inference.checkpoint;

import io.streamrag.inference.checkpoint.hub.DownloadProgress;
import io.streamrag.inference.checkpoint.hub.HubModelId;
import io.streamrag.inference.checkpoint.hub.HubModelResolver;
import io.streamrag.inference.checkpoint.hub.HubSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a model named in the configuration lives on disk. A model is named either by a local folder in Hugging Face
 * layout, used as is, or by {@code hf://org/name[@revision]}, fetched into (or found in) the Hugging Face cache
 * shared with Python's huggingface_hub. Either way the answer is a folder that {@link ModelFolder#validate} accepted.
 */
public final class ModelLocator {
    private final HubModelResolver hub;
    private final DownloadProgress progress;

    public ModelLocator(HubSettings settings, DownloadProgress progress) {
        this.hub = new HubModelResolver(Objects.requireNonNull(settings, "settings"));
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * @param spec a folder path, or {@code hf://org/name[@revision]}
     * @return a folder holding config.json, tokenizer.json and safetensors weights
     * @throws IOException with the spec and what is missing or what the hub said
     */
    public Path resolve(String spec) throws IOException {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("empty model name: give a folder or hf://org/name[@revision]");
        }
        if (HubModelId.isHubSpec(spec)) {
            return ModelFolder.validate(hub.resolve(HubModelId.parse(spec), progress));
        }
        return ModelFolder.validate(Path.of(spec));
    }
}
