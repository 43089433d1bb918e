package io.streamrag.qa.testing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The all-MiniLM-L6-v2 tokenizer shipped in the ONNX model jar (padding and truncation to 128 as configured). */
public final class MiniLmTokenizer {

    private MiniLmTokenizer() {
    }

    public static HuggingFaceTokenizer load() {
        try (InputStream json = MiniLmTokenizer.class.getClassLoader()
                .getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            if (json == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test classpath");
            }
            return HuggingFaceTokenizer.newInstance(json, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
