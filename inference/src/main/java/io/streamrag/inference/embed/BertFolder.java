package io.streamrag.inference.embed;

import io.streamrag.inference.bert.BertConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Hugging Face BERT-family folder read as a sentence embedder: the encoder's {@code config.json} and how to
 * tokenise, pool and normalise, from the options first and the sentence-transformers files second.
 *
 * @param name the folder's name, used as the model name
 * @param maxTokens the configured limit (checked against the model's positions), else sentence-transformers', else
 *                  the model's positions
 */
record BertFolder(Path directory, String name, BertConfig config, int maxTokens, Pooling pooling,
                  boolean normalize) {

    static BertFolder read(Path directory, EmbedderOptions options) throws IOException {
        String name = directory.toAbsolutePath().normalize().getFileName().toString();
        Optional<SentenceTransformersConfig> st = SentenceTransformersConfig.read(directory);
        BertConfig config = BertConfig.read(directory.resolve("config.json"));
        Pooling pooling = options.poolingOr(st.map(SentenceTransformersConfig::pooling).orElse(Pooling.MEAN));
        boolean normalize = options.normalizeOr(st.map(SentenceTransformersConfig::normalize).orElse(false));
        return new BertFolder(directory, name, config, maxTokens(options, st, config, directory), pooling, normalize);
    }

    Path tokenizerJson() {
        return directory.resolve("tokenizer.json");
    }

    private static int maxTokens(EmbedderOptions options, Optional<SentenceTransformersConfig> st, BertConfig config,
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
}
