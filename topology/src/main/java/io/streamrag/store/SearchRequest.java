package io.streamrag.store;

import java.util.Map;
import java.util.Objects;

/**
 * A retrieval query. Tenant and metadata filters are enforced inside every leg of the store's own query (the dense
 * and the keyword leg alike), never after the fact, so a question cannot see another tenant's passages. A null
 * tenant matches only passages without a tenant.
 *
 * @param vector         the question's embedding (the dense leg's query; also gives every hit its cosine)
 * @param text           the question's text (the keyword leg's query); may be null for a dense-only plan
 * @param topK           passages returned at most
 * @param scoreThreshold passages whose cosine is below it are left out (whichever leg found them)
 * @param plan           which legs run and how they are fused
 */
public record SearchRequest(float[] vector, String text, int topK, String tenant, Map<String, String> filters,
                            double scoreThreshold, RetrievalPlan plan) {

    public SearchRequest {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(plan, "plan");
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, was " + topK);
        }
        if (plan.mode().usesKeywords() && text == null) {
            throw new IllegalArgumentException("a " + plan.mode().label() + " search needs the question text");
        }
    }

    /** A dense-only query, as retrieval was before hybrid search. */
    public SearchRequest(float[] vector, int topK, String tenant, Map<String, String> filters, double scoreThreshold) {
        this(vector, null, topK, tenant, filters, scoreThreshold, RetrievalPlan.DENSE_ONLY);
    }

    public RetrievalMode mode() {
        return plan.mode();
    }
}
