package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;

/**
 * A {@link TextEmbedder} that passes every call to another one: a view or wrapper overrides only what it changes
 * (the lane of {@link BatchingEmbedder#forQuestions()}, a test's failing or slow embedder) instead of repeating the
 * five pass-through methods.
 */
public abstract class ForwardingTextEmbedder implements TextEmbedder {
    private final TextEmbedder delegate;

    protected ForwardingTextEmbedder(TextEmbedder delegate) {
        this.delegate = delegate;
    }

    protected TextEmbedder delegate() {
        return delegate;
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public int maxTokens() {
        return delegate.maxTokens();
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return delegate.tokenizer();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        return delegate.embed(texts);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
