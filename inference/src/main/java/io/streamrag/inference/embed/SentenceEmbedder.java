package io.streamrag.inference.embed;

import io.streamrag.inference.bert.BertLoader;
import io.streamrag.inference.bert.BertModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A sentence embedder on our own BERT encoder (DJL PyTorch): any BERT, MiniLM, BGE, E5 or DPR folder in Hugging
 * Face layout ({@code config.json}, safetensors weights, {@code tokenizer.json}), pooled and normalised as its
 * sentence-transformers files say. Runs on CPU or a CUDA GPU, in fp32 or fp16.
 *
 * <p>Thread-safe: the weights are read-only and each call has its own NDManager scope. Calls from many threads run
 * concurrently; wrap it in a {@code BatchingEmbedder} to share one device well.
 */
public final class SentenceEmbedder extends PipelineEmbedder {
    private final BertModel model;

    private SentenceEmbedder(String name, BertModel model, EmbeddingPipeline pipeline) {
        super(name, model.config().hiddenSize(), pipeline);
        this.model = model;
    }

    public static SentenceEmbedder open(Path directory, EmbedderOptions options) throws IOException {
        BertFolder folder = BertFolder.read(directory, options);
        EmbeddingTokenizer tokenizer = EmbeddingTokenizer.open(folder.tokenizerJson(), folder.maxTokens(),
                folder.name(), options.meterRegistry());
        BertModel model;
        try {
            model = BertLoader.load(directory, options.device());
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        EmbeddingPipeline pipeline = EmbeddingPipeline.onArrays(tokenizer, folder.pooling(), folder.normalize(),
                model.manager(), model::encode, folder.name(), options.meterRegistry());
        return new SentenceEmbedder(folder.name(), model, pipeline);
    }

    /** The encoder, for callers that need hidden states rather than pooled vectors (and for tests). */
    public BertModel model() {
        return model;
    }

    @Override
    protected void closeModel() {
        model.close();
    }
}
