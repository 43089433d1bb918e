package io.streamrag.qa;

import io.streamrag.store.SearchHit;
import java.util.List;

/** p(d|x): the softmax of the retrieval scores over the retrieved passages (RAG's document prior). */
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
