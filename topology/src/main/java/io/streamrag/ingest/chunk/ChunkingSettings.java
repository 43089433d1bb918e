package io.streamrag.ingest.chunk;

/**
 * How documents are cut into passages, in tokens of the embedder's own tokenizer.
 *
 * @param chunkTokens   most passage tokens per chunk (the title prefix and special tokens come on top, and the
 *                      chunker shrinks the budget so that all of it fits the model's maximum input)
 * @param overlapTokens at most this many tokens at the end of a chunk are repeated at the start of the next one,
 *                      so a sentence cut by a chunk boundary is still whole in one of them
 */
public record ChunkingSettings(int chunkTokens, int overlapTokens) {

    public ChunkingSettings {
        if (chunkTokens < 8) {
            throw new IllegalArgumentException("chunk size must be at least 8 tokens, was " + chunkTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= chunkTokens / 2 + 1) {
            throw new IllegalArgumentException("chunk overlap must be in [0, chunk size / 2], was " + overlapTokens
                    + " for chunk size " + chunkTokens);
        }
    }
}
