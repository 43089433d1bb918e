package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.bert.BertConfig;
import io.streamrag.inference.bert.BertLoader;
import io.streamrag.inference.bert.BertModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A sentence embedder on our own BERT encoder (DJL PyTorch): any BERT, MiniLM, BGE, E5 or DPR folder in Hugging
 * Face layout ({@code config.json}, safetensors weights, {@code tokenizer.json}), pooled and normalised as its
 * sentence-transformers files say. Runs on CPU or a CUDA GPU, in fp32 or fp16.
 *
 * <p>Thread-safe: the weights are read-only and each call has its own NDManager scope. Calls from many threads run
 * concurrently; wrap it in a {@code BatchingEmbedder} to share one device well.
 */
public final class SentenceEmbedder implements TextEmbedder {
    private final String name;
    private final BertModel model;
    private final EmbeddingPipeline pipeline;

    private SentenceEmbedder(String name, BertModel model, EmbeddingPipeline pipeline) {
        this.name = name;
        this.model = model;
        this.pipeline = pipeline;
    }

    public static SentenceEmbedder open(Path directory, EmbedderOptions options) throws IOException {
        String name = directory.toAbsolutePath().normalize().getFileName().toString();
        Optional<SentenceTransformersConfig> st = SentenceTransformersConfig.read(directory);
        BertConfig config = BertConfig.read(directory.resolve("config.json"));
        int maxTokens = maxTokens(options, st, config, directory);
        Pooling pooling = options.poolingOr(st.map(SentenceTransformersConfig::pooling).orElse(Pooling.MEAN));
        boolean normalize = options.normalizeOr(st.map(SentenceTransformersConfig::normalize).orElse(false));

        EmbeddingTokenizer tokenizer = EmbeddingTokenizer.open(directory.resolve("tokenizer.json"), maxTokens, name,
                options.meterRegistry());
        BertModel model;
        try {
            model = BertLoader.load(directory, options.device());
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        EmbeddingPipeline pipeline = new EmbeddingPipeline(tokenizer, pooling, normalize, model.manager(), name,
                options.meterRegistry());
        return new SentenceEmbedder(name, model, pipeline);
    }

    /** The configured limit (checked against the model's positions), else sentence-transformers', else positions. */
    static int maxTokens(EmbedderOptions options, Optional<SentenceTransformersConfig> st, BertConfig config,
                                 Path directory) {
        int positions = config.maxPositions();
        if (options.maxTokens() != null) {
            if (options.maxTokens() > positions) {
                throw new IllegalArgumentException("maxTokens " + options.maxTokens() + " exceeds the "
                        + positions + " positions of the model in " + directory);
            }
            return options.maxTokens();
        }
        int fromModel = st.isPresent() && st.get().maxSeqLength().isPresent()
                ? st.get().maxSeqLength().getAsInt() : positions;
        return Math.min(positions, fromModel);
    }

    /** The encoder, for callers that need hidden states rather than pooled vectors (and for tests). */
    public BertModel model() {
        return model;
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
        return model.config().hiddenSize();
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
    public List<float[]> embed(List<String> texts) {
        return pipeline.embed(texts, model::encode);
    }

    @Override
    public void close() {
        pipeline.close();
        model.close();
    }
}
