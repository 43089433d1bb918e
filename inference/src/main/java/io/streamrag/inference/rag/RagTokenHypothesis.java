package io.streamrag.inference.rag;

import io.streamrag.inference.generate.GeneratedSequence;

/**
 * One RAG-Token answer and the passages it rests on.
 *
 * @param sequence ids, text, search score and marginal log-likelihood {@code sum_t log p(y_t | x, y_<t)}
 * @param docLogLikelihoods per document {@code log p(y | x, d) = sum_t log p(y_t | y_<t, x, d)}
 * @param docPosterior per document {@code p(d | x, y) ∝ p(d | x) p(y | x, d)}, sums to 1
 */
public record RagTokenHypothesis(GeneratedSequence sequence, double[] docLogLikelihoods, double[] docPosterior) {

    /** The document with the largest posterior: the passage this answer rests on most. */
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
