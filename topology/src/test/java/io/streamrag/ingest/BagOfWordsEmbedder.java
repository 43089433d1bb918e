package io.streamrag.ingest;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.embed.TextEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic test embedder: the L2-normalised bag of the real MiniLM tokenizer's word-piece ids, hashed into a
 * few dimensions. Texts sharing words get similar vectors; it records every {@link #embed} call's size.
 */
public final class BagOfWordsEmbedder implements TextEmbedder {

    public static final int DIMENSION = 32;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final List<Integer> callSizes = new CopyOnWriteArrayList<>();
    private volatile String refused;

    public BagOfWordsEmbedder(int maxTokens) {
        this.tokenizer = SharedTokenizer.INSTANCE;
        this.maxTokens = maxTokens;
    }

    /** Parsed once per test JVM (about 0.7 MB of JSON); the native tokenizer is thread-safe. */
    private static final class SharedTokenizer {
        static final HuggingFaceTokenizer INSTANCE = minilmTokenizer();
    }

    /** The all-MiniLM-L6-v2 tokenizer from the ONNX model jar on the test classpath (truncates at 128 tokens). */
    public static HuggingFaceTokenizer minilmTokenizer() {
        try (InputStream json = BagOfWordsEmbedder.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (json == null) {
                throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test classpath");
            }
            return HuggingFaceTokenizer.newInstance(json, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, an embed call with a text containing {@code word} fails (as a model refusing an input would). */
    public void refuse(String word) {
        this.refused = word;
    }

    /** Number of texts of every embed call so far, in call order. */
    public List<Integer> callSizes() {
        return List.copyOf(callSizes);
    }

    @Override
    public String modelName() {
        return "bag-of-words-test";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        callSizes.add(texts.size());
        if (refused != null && texts.stream().anyMatch(text -> text.contains(refused))) {
            throw new IllegalArgumentException("cannot embed a text containing '" + refused + "'");
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] vector = new float[DIMENSION];
            for (long id : tokenizer.encode(text, false, false).getIds()) {
                if (id != 0) {
                    vector[(int) (id % DIMENSION)] += 1f;
                }
            }
            double norm = 0;
            for (float v : vector) {
                norm += v * v;
            }
            for (int i = 0; i < DIMENSION && norm > 0; i++) {
                vector[i] /= (float) Math.sqrt(norm);
            }
            vectors.add(vector);
        }
        return vectors;
    }

    @Override
    public void close() {
        // the tokenizer is shared by every instance in this JVM
    }
}
