package io.streamrag.inference.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns texts into padded token batches for an encoder. Inputs longer than the model takes are truncated and
 * counted ({@code streamrag.embedder.truncated}), never rejected: a chunker upstream should keep that count at zero.
 */
final class EmbeddingTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer batching;
    private final HuggingFaceTokenizer plain;
    private final int maxTokens;
    private final Counter truncated;

    private EmbeddingTokenizer(HuggingFaceTokenizer batching, HuggingFaceTokenizer plain, int maxTokens,
                               Counter truncated) {
        this.batching = batching;
        this.plain = plain;
        this.maxTokens = maxTokens;
        this.truncated = truncated;
    }

    static EmbeddingTokenizer open(Path tokenizerJson, int maxTokens, String modelName, MeterRegistry registry)
            throws IOException {
        // Settings are explicit: tokenizer.json files often carry their own (MiniLM's pads everything to 128).
        HuggingFaceTokenizer batching = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxTokens)
                .optPadding(true)
                .build();
        HuggingFaceTokenizer plain;
        try {
            plain = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            batching.close();
            throw e;
        }
        Counter truncated = Counter.builder("streamrag.embedder.truncated")
                .description("texts cut to the model's maximum input length before embedding")
                .tag("model", modelName)
                .register(registry);
        return new EmbeddingTokenizer(batching, plain, maxTokens, truncated);
    }

    int maxTokens() {
        return maxTokens;
    }

    /** Neither truncates nor pads: for counting tokens while chunking. */
    HuggingFaceTokenizer plain() {
        return plain;
    }

    TokenBatch encode(List<String> texts) {
        Encoding[] encodings = batching.batchEncode(texts);
        long[][] ids = new long[encodings.length][];
        long[][] types = new long[encodings.length][];
        long[][] mask = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
            types[i] = encodings[i].getTypeIds();
            mask[i] = encodings[i].getAttentionMask();
            if (encodings[i].exceedMaxLength()) {
                truncated.increment();
            }
        }
        return new TokenBatch(ids, types, mask);
    }

    @Override
    public void close() {
        batching.close();
        plain.close();
    }
}
