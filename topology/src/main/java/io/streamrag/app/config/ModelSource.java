package io.streamrag.app.config;

import java.nio.file.Path;

import io.streamrag.inference.checkpoint.hub.HubModelId;

/**
 * Where a model's files come from. {@link #spec()} is what {@code ModelLocator.resolve} takes for the last two.
 */
public sealed interface ModelSource {

    /** The name written in the configuration. */
    String spec();

    /** The model bundled with the application (all-MiniLM-L6-v2 for the embedder). */
    record Bundled() implements ModelSource {
        @Override
        public String spec() {
            return "default";
        }
    }

    /** A directory in Hugging Face layout ({@code config.json}, {@code tokenizer.json}, safetensors). */
    record LocalDirectory(Path directory) implements ModelSource {
        @Override
        public String spec() {
            return directory.toString();
        }
    }

    /** A Hugging Face Hub repository at a revision (branch, tag or commit; {@code main} when not given). */
    record HuggingFace(HubModelId id) implements ModelSource {
        @Override
        public String spec() {
            return id.toString();
        }
    }

    /**
     * Parses {@code default}, {@code hf://org/name[@rev]} or a path.
     *
     * @throws IllegalArgumentException with the reason, for the caller to attach to the key
     */
    static ModelSource parse(String value) {
        if (value.equals("default")) {
            return new Bundled();
        }
        if (HubModelId.isHubSpec(value)) {
            return new HuggingFace(HubModelId.parse(value));
        }
        return new LocalDirectory(Path.of(value));
    }
}
