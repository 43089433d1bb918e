package io.streamrag.store.qdrant;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchRequest;

/**
 * The Query API requests of a search. Dense: nearest neighbours of the question's vector. Keyword: nearest of the
 * question's keyword sparse vector ({@link KeywordVectors}). Hybrid: both as prefetches, each under the request's
 * tenant and metadata filter and limited to its leg's depth, fused by Qdrant's {@code rrf} query with the plan's
 * {@code k} and leg weights. Keyword and hybrid results carry the dense vectors, from which the store computes each
 * hit's cosine.
 */
final class QdrantQueries {

    private QdrantQueries() {
    }

    /**
     * The first request for {@code request}: the top-k (dense, threshold applied by Qdrant) or, for keyword and
     * hybrid, twice the top-k so that a few passages below the threshold do not leave the answer short. Null when a
     * keyword search has no terms to look for.
     */
    static QueryPoints firstPass(String collection, SearchRequest request, int searchEf) {
        if (!request.mode().usesKeywords()) {
            return dense(collection, request, searchEf);
        }
        int candidates = candidates(request);
        int limit = request.scoreThreshold() > -1.0 ? Math.min(candidates, 2 * request.topK()) : request.topK();
        return fused(collection, request, limit, searchEf);
    }

    /**
     * The request again for every candidate the legs can yield, or null when {@code first} already returned all of
     * them ({@code returned} below its limit).
     */
    static QueryPoints fullPass(String collection, SearchRequest request, QueryPoints first, int returned,
                                int searchEf) {
        int candidates = candidates(request);
        if (!request.mode().usesKeywords() || returned < first.getLimit() || first.getLimit() >= candidates) {
            return null;
        }
        return fused(collection, request, candidates, searchEf);
    }

    /** The most passages a keyword or hybrid search can return: the sum of its legs' depths. */
    private static int candidates(SearchRequest request) {
        RetrievalPlan plan = request.plan();
        return switch (plan.mode()) {
            case KEYWORD -> plan.keywordDepth(request.topK());
            case HYBRID -> plan.denseDepth(request.topK()) + plan.keywordDepth(request.topK());
            case DENSE -> request.topK();
        };
    }

    private static QueryPoints dense(String collection, SearchRequest request, int searchEf) {
        QueryPoints.Builder query = QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(Query.newBuilder().setNearest(denseInput(request.vector())))
                .setFilter(ChunkFilters.forRequest(request))
                .setLimit(request.topK())
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true));
        // Cosine scores are never below -1: a threshold at or below it means "no threshold" and is not sent.
        if (request.scoreThreshold() > -1.0) {
            query.setScoreThreshold((float) request.scoreThreshold());
        }
        if (searchEf > 0) {
            query.setParams(SearchParams.newBuilder().setHnswEf(searchEf));
        }
        return query.build();
    }

    private static QueryPoints fused(String collection, SearchRequest request, int limit, int searchEf) {
        SparseVector keywords = KeywordVectors.query(request.text());
        Filter filter = ChunkFilters.forRequest(request);
        RetrievalPlan plan = request.plan();
        QueryPoints.Builder query = QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setFilter(filter)
                .setLimit(limit)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true));
        if (plan.mode() == io.streamrag.store.RetrievalMode.KEYWORD) {
            if (keywords.getIndicesCount() == 0) {
                return null;
            }
            return query.setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder().setSparse(keywords)))
                    .setUsing(KeywordVectors.NAME)
                    .build();
        }
        Rrf.Builder rrf = Rrf.newBuilder().setK(plan.rrfK());
        PrefetchQuery.Builder dense = PrefetchQuery.newBuilder()
                .setQuery(Query.newBuilder().setNearest(denseInput(request.vector())))
                .setFilter(filter)
                .setLimit(plan.denseDepth(request.topK()));
        if (searchEf > 0) {
            dense.setParams(SearchParams.newBuilder().setHnswEf(searchEf));
        }
        query.addPrefetch(dense);
        rrf.addWeights((float) plan.denseWeight());
        if (keywords.getIndicesCount() > 0) {
            query.addPrefetch(PrefetchQuery.newBuilder()
                    .setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder().setSparse(keywords)))
                    .setUsing(KeywordVectors.NAME)
                    .setFilter(filter)
                    .setLimit(plan.keywordDepth(request.topK())));
            rrf.addWeights((float) plan.keywordWeight());
        }
        return query.setQuery(Query.newBuilder().setRrf(rrf)).build();
    }

    private static VectorInput denseInput(float[] vector) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float component : vector) {
            dense.addData(component);
        }
        return VectorInput.newBuilder().setDense(dense).build();
    }
}
