package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;

/**
 * Turns texts into fixed-size vectors, one call per batch. Implementations are thread-safe and shared by all
 * Kafka Streams threads of a process.
 */
public interface TextEmbedder extends AutoCloseable {

    /** A stable name of the model (used to name vector collections per model). */
    String modelName();

    /** Length of every vector this embedder returns. */
    int dimension();

    /** Longest input in tokens (special tokens included); longer inputs are truncated, never rejected. */
    int maxTokens();

    /** The model's own tokenizer, for token-aware chunking. */
    HuggingFaceTokenizer tokenizer();

    /** One vector per text, in input order; L2-normalised when the model is configured to normalise. */
    List<float[]> embed(List<String> texts);

    @Override
    void close();
}
