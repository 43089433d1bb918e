package io.streamrag.inference.rag;

import io.streamrag.inference.generate.GeneratedSequence;

/**
 * One answer of RAG decoding (any mode) and the passages it rests on.
 *
 * @param sequence ids and text; {@code logLikelihood()} is {@code log p(y | x)} under the mode's model (the
 *     RAG-Token marginal {@code sum_t log p(y_t | x, y_<t)}; the RAG-Sequence marginal
 *     {@code log sum_d p(d | x) p(y | x, d)}; for concat, under the packed input), {@code score()} what the n-best
 *     list is ranked by (the search score for RAG-Token and concat; the marginal for RAG-Sequence, as Hugging Face
 *     ranks its candidates)
 * @param docLogLikelihoods per document {@code log p(y | x, d)}; negative infinity where fast RAG-Sequence decoding
 *     takes y to be impossible under d (d's beams did not produce it)
 * @param docPosterior per document {@code p(d | x, y) ∝ p(d | x) p(y | x, d)}, sums to 1
 */
public record RagHypothesis(GeneratedSequence sequence, double[] docLogLikelihoods, double[] docPosterior) {

    /** The document with the largest posterior (the first on ties): the passage this answer rests on most. */
    public int bestDocument() {
        int best = 0;
        for (int d = 1; d < docPosterior.length; d++) {
            if (docPosterior[d] > docPosterior[best]) {
                best = d;
            }
        }
        return best;
    }
}
