package io.streamrag.store;

import java.util.Map;

/**
 * A nearest-neighbour query. Tenant and metadata filters are enforced by the store's own query, never after the
 * fact, so a question cannot see another tenant's passages. A null tenant matches only passages without a tenant.
 */
public record SearchRequest(float[] vector, int topK, String tenant, Map<String, String> filters,
                            double scoreThreshold) {

    public SearchRequest {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, was " + topK);
        }
    }
}
