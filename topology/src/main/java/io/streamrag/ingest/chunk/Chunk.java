package io.streamrag.ingest.chunk;

/**
 * One passage of a document.
 *
 * @param index         position of the chunk in the document, from 0
 * @param chunkId       UUIDv5 of (document id, index): see {@link ChunkIds}
 * @param text          the passage exactly as it appears in the body (what answers quote)
 * @param embeddingText what is embedded: the title prefix followed by the passage (see {@link EmbeddingText})
 * @param tokenCount    passage tokens (without title and special tokens)
 */
public record Chunk(int index, String chunkId, String text, String embeddingText, int tokenCount) {
}
