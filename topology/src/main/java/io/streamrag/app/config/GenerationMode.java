package io.streamrag.app.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How retrieved passages feed the generator. */
public enum GenerationMode {
    /** Generate once per passage, then marginalise the sequences over the passage scores (RAG-Sequence). */
    RAG_SEQUENCE("rag-sequence"),
    /** Marginalise over the passages at every generated token (RAG-Token). */
    RAG_TOKEN("rag-token"),
    /** One generator input holding the question and all passages. */
    CONCAT("concat");

    private final String configName;

    GenerationMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The mode spelt {@code name} in a config file, or null. */
    static GenerationMode parse(String name) {
        return Arrays.stream(values()).filter(mode -> mode.configName.equals(name)).findFirst().orElse(null);
    }

    static String allowed() {
        return Arrays.stream(values()).map(GenerationMode::configName).collect(Collectors.joining(", "));
    }
}
