package io.streamrag.qa.testing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.embed.TextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A deterministic embedder for tests: lower-cased words (stop words dropped) hashed into a fixed number of
 * buckets, L2-normalised, so texts sharing words have a higher cosine. Records every call to check batching; can
 * be told to fail on texts matching a predicate.
 */
public final class BagOfWordsEmbedder implements TextEmbedder {

    private static final Set<String> STOP_WORDS = Set.of("the", "a", "an", "of", "is", "in", "what", "who", "which",
            "was", "did", "to", "and", "does", "how", "where", "when");

    private final int dimension;
    private final List<List<String>> calls = new ArrayList<>();
    private Predicate<String> failOn = text -> false;
    private Predicate<String> crashOn = text -> false;

    public BagOfWordsEmbedder(int dimension) {
        this.dimension = dimension;
    }

    /** Texts matching {@code predicate} make embed() throw an Error (as a stack overflow in a model would). */
    public void crashOn(Predicate<String> predicate) {
        this.crashOn = predicate;
    }

    public void failOn(Predicate<String> predicate) {
        this.failOn = predicate;
    }

    public synchronized List<List<String>> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String modelName() {
        return "bag-of-words-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return 512;
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        throw new UnsupportedOperationException("the bag-of-words test embedder has no subword tokenizer");
    }

    @Override
    public synchronized List<float[]> embed(List<String> texts) {
        calls.add(List.copyOf(texts));
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            if (crashOn.test(text)) {
                throw new StackOverflowError("simulated crash embedding: " + text);
            }
            if (failOn.test(text)) {
                throw new IllegalStateException("embedding refused for test: " + text);
            }
            vectors.add(vectorOf(text));
        }
        return vectors;
    }

    public float[] vectorOf(String text) {
        float[] vector = new float[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && !STOP_WORDS.contains(word)) {
                vector[Math.floorMod(word.hashCode(), dimension)] += 1;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm > 0) {
            for (int i = 0; i < dimension; i++) {
                vector[i] /= (float) Math.sqrt(norm);
            }
        }
        return vector;
    }

    @Override
    public void close() {
    }
}
