package io.streamrag.store;

/**
 * A retrieved chunk (its vector is not returned).
 *
 * @param chunk     the passage
 * @param score     the cosine similarity of the question's and the passage's embeddings, whichever leg found it
 *                  (what {@code qa.score.threshold} compares and what p(d|x) is computed from)
 * @param rankScore the score the result is ordered by: the cosine (dense), BM25 (keyword) or the fused RRF score
 *                  (hybrid)
 */
public record SearchHit(StoredChunk chunk, double score, double rankScore) {

    /** A dense hit: ordered by its cosine. */
    public SearchHit(StoredChunk chunk, double score) {
        this(chunk, score, score);
    }
}
