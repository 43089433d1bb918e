package io.streamrag.qa;

import io.streamrag.store.SearchHit;
import java.util.List;

/**
 * What the generation step knows about one question: its text and the passages retrieved for it, best first, with
 * p(d|x) for each.
 *
 * @param question the question text as asked
 * @param questionVector the question's embedding, as used for retrieval
 * @param hits retrieved passages, best first, never empty
 * @param weights p(d|x) per hit, same order, summing to 1
 */
public record RetrievalContext(String question, float[] questionVector, List<SearchHit> hits, double[] weights) {

    public RetrievalContext {
        hits = List.copyOf(hits);
        if (hits.isEmpty()) {
            throw new IllegalArgumentException("a retrieval context needs at least one passage");
        }
        if (weights.length != hits.size()) {
            throw new IllegalArgumentException(
                    "one weight per passage expected: " + hits.size() + " passages, " + weights.length + " weights");
        }
    }
}
