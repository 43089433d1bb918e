package io.streamrag.app.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a model's files come from. */
public sealed interface ModelSource {

    /** The model bundled with the application (all-MiniLM-L6-v2 for the embedder). */
    record Bundled() implements ModelSource {
        @Override
        public String toString() {
            return "default";
        }
    }

    /** A directory in Hugging Face layout ({@code config.json}, {@code tokenizer.json}, safetensors). */
    record LocalDirectory(Path directory) implements ModelSource {
        @Override
        public String toString() {
            return directory.toString();
        }
    }

    /** A Hugging Face Hub repository, optionally at a revision (branch, tag or commit). */
    record HuggingFace(String repository, Optional<String> revision) implements ModelSource {
        @Override
        public String toString() {
            return "hf://" + repository + revision.map(r -> "@" + r).orElse("");
        }
    }

    Pattern HF = Pattern.compile("hf://([A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)(?:@([A-Za-z0-9._/-]+))?");

    /**
     * Parses {@code default}, {@code hf://org/name[@rev]} or a path.
     *
     * @throws IllegalArgumentException with the reason, for the caller to attach to the key
     */
    static ModelSource parse(String value) {
        if (value.equals("default")) {
            return new Bundled();
        }
        if (value.startsWith("hf://")) {
            Matcher matcher = HF.matcher(value);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("must look like hf://org/name or hf://org/name@revision");
            }
            return new HuggingFace(matcher.group(1), Optional.ofNullable(matcher.group(2)));
        }
        return new LocalDirectory(Path.of(value));
    }
}
