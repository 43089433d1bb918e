package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;

/**
 * What the encoder-based embedders share: name, dimension, the {@link EmbeddingPipeline} bound to the model
 * (tokenise, encode, pool, normalise), and closing the pipeline before the model. A subclass opens its model and
 * says how to free it.
 */
abstract class PipelineEmbedder implements TextEmbedder {
    private final String name;
    private final int dimension;
    private final EmbeddingPipeline pipeline;

    PipelineEmbedder(String name, int dimension, EmbeddingPipeline pipeline) {
        this.name = name;
        this.dimension = dimension;
        this.pipeline = pipeline;
    }

    public Pooling pooling() {
        return pipeline.pooling();
    }

    public boolean normalizes() {
        return pipeline.normalize();
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return pipeline.tokenizer().maxTokens();
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return pipeline.tokenizer().plain();
    }

    @Override
    public final List<float[]> embed(List<String> texts) {
        return pipeline.embed(texts);
    }

    @Override
    public final void close() {
        pipeline.close();
        closeModel();
    }

    /** Frees the model and whatever native memory it holds; the pipeline is closed already. */
    protected abstract void closeModel();
}
