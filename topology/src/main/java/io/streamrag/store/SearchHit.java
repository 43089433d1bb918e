package io.streamrag.store;

/** A retrieved chunk (its vector is not returned) with its cosine similarity to the query. */
public record SearchHit(StoredChunk chunk, double score) {
}
