package io.streamrag.qa;

import io.streamrag.inference.generate.LogSpace;
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

    /** Softmax of score / temperature ({@link LogSpace}, so large scores cannot overflow). */
    public static double[] of(List<SearchHit> hits, double temperature) {
        double[] scaled = new double[hits.size()];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = hits.get(i).score() / temperature;
        }
        return LogSpace.softmax(scaled);
    }
}
