package io.streamrag.qa;

import io.streamrag.store.SearchHit;
import java.util.List;

/**
 * p(d|x), RAG's document prior (Lewis et al. 2020, eq. 1-2): the softmax of the question-passage inner products over
 * the retrieved top-k. The inner product is {@link SearchHit#score()}, the cosine of the two embeddings (unit vectors
 * for the normalising embedders this project uses), whichever leg found the passage: under hybrid retrieval the
 * top-k is chosen and ordered by rank fusion, but p(d|x) stays the paper's softmax over those k, so the RAG formulas
 * are the paper's. The RRF score only ranks; it is no probability and no inner product.
 */
public final class RetrievalWeights {

    private RetrievalWeights() {
    }

    /** Softmax of score / temperature, computed with the max subtracted so large scores cannot overflow. */
    public static double[] of(List<SearchHit> hits, double temperature) {
        double[] weights = new double[hits.size()];
        if (weights.length == 0) {
            return weights;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (SearchHit hit : hits) {
            max = Math.max(max, hit.score() / temperature);
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(hits.get(i).score() / temperature - max);
            sum += weights[i];
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= sum;
        }
        return weights;
    }
}
