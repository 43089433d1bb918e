package io.streamrag.cdc;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.embed.TextEmbedder;
import java.util.List;

/**
 * Another embedding model for reindex tests: the vectors of {@code base} repeated {@code times} over (same cosines,
 * {@code times} x the dimension) under another model name, so a store written by it is recognisably not the old
 * model's.
 */
final class WidenedEmbedder implements TextEmbedder {

    private final TextEmbedder base;
    private final int times;

    WidenedEmbedder(TextEmbedder base, int times) {
        this.base = base;
        this.times = times;
    }

    @Override
    public String modelName() {
        return base.modelName() + "-x" + times;
    }

    @Override
    public int dimension() {
        return base.dimension() * times;
    }

    @Override
    public int maxTokens() {
        return base.maxTokens();
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return base.tokenizer();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return base.embed(texts).stream().map(vector -> {
            float[] wide = new float[vector.length * times];
            for (int i = 0; i < times; i++) {
                System.arraycopy(vector, 0, wide, i * vector.length, vector.length);
            }
            return wide;
        }).toList();
    }

    @Override
    public void close() {
        base.close();
    }
}
