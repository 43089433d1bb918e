package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.Fusion;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.QueryBatchPoints;
import io.qdrant.client.grpc.Points.QueryBatchResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Points service of the double: upsert, delete (by ids or filter), get, scroll (filter, id-ordered paging),
 * count, query / query batch (nearest on the default dense or a named sparse vector with the IDF modifier, one
 * level of prefetch fused by RRF with k and weights, filter + score threshold + limit/offset + payload/vector
 * selection) and payload index creation.
 */
final class DoublePointsService extends PointsGrpc.PointsImplBase {

    private static final int DEFAULT_LIMIT = 10;

    private final DoubleStore store;
    private final AtomicLong operations = new AtomicLong();
    /** Every query the double answered, single or in a batch, oldest first (for tests of the request shape). */
    private final List<QueryPoints> queries = java.util.Collections.synchronizedList(new ArrayList<>());

    DoublePointsService(DoubleStore store) {
        this.store = store;
    }

    @Override
    public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            if (request.hasUpdateFilter() || (request.hasUpdateMode() && request.getUpdateMode() != UpdateMode.Upsert)) {
                throw Status.UNIMPLEMENTED.withDescription("Qdrant double models plain upserts only")
                        .asRuntimeException();
            }
            store.withCollection(request.getCollectionName(), collection -> {
                collection.upsert(request.getPointsList());
                return null;
            });
            return operationDone(request.getWait(), start);
        });
    }

    @Override
    public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            store.withCollection(request.getCollectionName(), collection -> {
                switch (request.getPoints().getPointsSelectorOneOfCase()) {
                    case POINTS:
                        return collection.deleteIds(request.getPoints().getPoints().getIdsList());
                    case FILTER:
                        return collection.deleteMatching(request.getPoints().getFilter());
                    default:
                        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: points selector is missing")
                                .asRuntimeException();
                }
            });
            return operationDone(request.getWait(), start);
        });
    }

    @Override
    public void createFieldIndex(CreateFieldIndexCollection request,
                                 StreamObserver<PointsOperationResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            if (!request.hasFieldType()) {
                throw Status.INVALID_ARGUMENT.withDescription("Wrong input: field_type is required")
                        .asRuntimeException();
            }
            PayloadSchemaType type = PayloadSchemaType.forNumber(request.getFieldType().getNumber() + 1);
            store.withCollection(request.getCollectionName(), collection ->
                    collection.payloadSchema().put(request.getFieldName(), type));
            return operationDone(request.getWait(), start);
        });
    }

    @Override
    public void get(GetPoints request, StreamObserver<GetResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> store.withCollection(request.getCollectionName(), collection -> {
            GetResponse.Builder reply = GetResponse.newBuilder();
            for (PointId id : request.getIdsList()) {
                QdrantGrpcDouble.Point point = collection.get(id);
                if (point != null) {
                    reply.addResult(retrieved(collection, point, request.getWithPayload(), true,
                            request.hasWithVectors() ? request.getWithVectors() : null));
                }
            }
            return reply.setTime(DoubleCalls.elapsed(start)).build();
        }));
    }

    @Override
    public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> store.withCollection(request.getCollectionName(), collection -> {
            if (request.hasOrderBy()) {
                throw Status.UNIMPLEMENTED.withDescription("Qdrant double scrolls in id order only")
                        .asRuntimeException();
            }
            int limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
            Iterable<QdrantGrpcDouble.Point> candidates = request.hasOffset()
                    ? collection.from(request.getOffset())
                    : collection.all();
            ScrollResponse.Builder reply = ScrollResponse.newBuilder();
            int taken = 0;
            for (QdrantGrpcDouble.Point point : candidates) {
                if (!PayloadFilter.matches(request.getFilter(), point.pointId(), point.payload())) {
                    continue;
                }
                if (taken == limit) {
                    reply.setNextPageOffset(point.pointId()); // the first point of the next page
                    break;
                }
                reply.addResult(retrieved(collection, point, request.getWithPayload(), true,
                        request.hasWithVectors() ? request.getWithVectors() : null));
                taken++;
            }
            return reply.setTime(DoubleCalls.elapsed(start)).build();
        }));
    }

    @Override
    public void count(CountPoints request, StreamObserver<CountResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> store.withCollection(request.getCollectionName(), collection ->
                CountResponse.newBuilder()
                        .setResult(CountResult.newBuilder().setCount(collection.matching(request.getFilter()).size()))
                        .setTime(DoubleCalls.elapsed(start))
                        .build()));
    }

    @Override
    public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> QueryResponse.newBuilder()
                .addAllResult(query(request.getCollectionName(), request))
                .setTime(DoubleCalls.elapsed(start))
                .build());
    }

    @Override
    public void queryBatch(QueryBatchPoints request, StreamObserver<QueryBatchResponse> observer) {
        long start = System.nanoTime();
        DoubleCalls.respond(observer, () -> {
            QueryBatchResponse.Builder reply = QueryBatchResponse.newBuilder();
            for (QueryPoints query : request.getQueryPointsList()) {
                reply.addResult(BatchResult.newBuilder().addAllResult(query(request.getCollectionName(), query)));
            }
            return reply.setTime(DoubleCalls.elapsed(start)).build();
        });
    }

    List<QueryPoints> queries() {
        synchronized (queries) {
            return List.copyOf(queries);
        }
    }

    private List<ScoredPoint> query(String collectionName, QueryPoints request) {
        queries.add(request);
        return store.withCollection(collectionName, collection -> {
            Filter filter = request.hasFilter() ? request.getFilter() : Filter.getDefaultInstance();
            List<DoubleCollection.Scored> ranked;
            if (request.getPrefetchCount() > 0) {
                List<List<DoubleCollection.Scored>> legs = new ArrayList<>();
                for (PrefetchQuery prefetch : request.getPrefetchList()) {
                    legs.add(prefetched(collection, prefetch, filter));
                }
                ranked = fuse(legs, request.hasQuery() ? request.getQuery() : null);
            } else if (!request.hasQuery()) {
                ranked = new ArrayList<>();
                for (QdrantGrpcDouble.Point point : collection.matching(filter)) {
                    ranked.add(new DoubleCollection.Scored(point, 0f));
                }
            } else {
                ranked = nearest(collection, request.getQuery(), request.hasUsing() ? request.getUsing() : "",
                        filter);
            }
            long offset = request.hasOffset() ? request.getOffset() : 0;
            long limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
            boolean fused = request.getPrefetchCount() > 0;
            List<ScoredPoint> result = new ArrayList<>();
            long skipped = 0;
            for (DoubleCollection.Scored scored : ranked) {
                if (request.hasScoreThreshold() && request.hasQuery()
                        && (fused ? scored.score() < request.getScoreThreshold()
                                : !collection.betterOrEqual(scored.score(), request.getScoreThreshold()))) {
                    break;
                }
                if (skipped++ < offset) {
                    continue;
                }
                if (result.size() == limit) {
                    break;
                }
                result.add(scored(collection, scored, request.hasWithPayload() ? request.getWithPayload() : null,
                        request.hasWithVectors() ? request.getWithVectors() : null));
            }
            return result;
        });
    }

    /** Nearest points for a nearest query on vector {@code using} ("" = the default dense vector), best first. */
    private static List<DoubleCollection.Scored> nearest(DoubleCollection collection, Query query, String using,
                                                         Filter filter) {
        if (!query.hasNearest()) {
            throw Status.UNIMPLEMENTED.withDescription("Qdrant double models nearest, fusion and rrf queries only, "
                    + "not " + query.getVariantCase()).asRuntimeException();
        }
        VectorInput input = query.getNearest();
        if (input.hasSparse()) {
            if (using.isEmpty()) {
                throw Status.INVALID_ARGUMENT.withDescription("Wrong input: a sparse query needs `using`")
                        .asRuntimeException();
            }
            return collection.nearestSparse(using, input.getSparse(), filter);
        }
        if (!using.isEmpty()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Wrong input: Not existing vector name error: " + using)
                    .asRuntimeException();
        }
        return collection.nearest(queryVector(collection, input), filter);
    }

    /** One prefetch: its own nearest query under its filter and the request's, cut at its limit and threshold. */
    private static List<DoubleCollection.Scored> prefetched(DoubleCollection collection, PrefetchQuery prefetch,
                                                            Filter outer) {
        if (prefetch.getPrefetchCount() > 0 || !prefetch.hasQuery()) {
            throw Status.UNIMPLEMENTED.withDescription("Qdrant double models one level of prefetch, each with a "
                    + "nearest query").asRuntimeException();
        }
        Filter filter = prefetch.hasFilter()
                ? Filter.newBuilder().addMust(io.qdrant.client.grpc.Common.Condition.newBuilder()
                        .setFilter(prefetch.getFilter())).addMust(io.qdrant.client.grpc.Common.Condition.newBuilder()
                        .setFilter(outer)).build()
                : outer;
        List<DoubleCollection.Scored> ranked = nearest(collection, prefetch.getQuery(),
                prefetch.hasUsing() ? prefetch.getUsing() : "", filter);
        long limit = prefetch.hasLimit() ? prefetch.getLimit() : DEFAULT_LIMIT;
        List<DoubleCollection.Scored> kept = new ArrayList<>();
        for (DoubleCollection.Scored scored : ranked) {
            if (kept.size() == limit || prefetch.hasScoreThreshold()
                    && !collection.betterOrEqual(scored.score(), prefetch.getScoreThreshold())) {
                break;
            }
            kept.add(scored);
        }
        return kept;
    }

    /**
     * Reciprocal-rank fusion as Qdrant computes it: position p (0-based) of prefetch i adds
     * {@code 1 / ((p + 1) / w_i + k - 1)}; {@code fusion: RRF} is k = 2 and equal weights. Best first, ties by id.
     */
    private static List<DoubleCollection.Scored> fuse(List<List<DoubleCollection.Scored>> legs, Query query) {
        int k = 2;
        float[] weights = new float[legs.size()];
        java.util.Arrays.fill(weights, 1f);
        if (query == null || query.hasFusion() && query.getFusion() == Fusion.RRF) {
            // defaults
        } else if (query.hasRrf()) {
            Rrf rrf = query.getRrf();
            if (rrf.hasK()) {
                k = rrf.getK();
            }
            if (rrf.getWeightsCount() > 0) {
                if (rrf.getWeightsCount() != legs.size()) {
                    throw Status.INVALID_ARGUMENT.withDescription("Wrong input: " + rrf.getWeightsCount()
                            + " weights for " + legs.size() + " prefetches").asRuntimeException();
                }
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = rrf.getWeights(i);
                }
            }
        } else {
            throw Status.UNIMPLEMENTED.withDescription("Qdrant double fuses prefetches by RRF only, not "
                    + query.getVariantCase()).asRuntimeException();
        }
        Map<PointId, Double> scores = new HashMap<>();
        Map<PointId, QdrantGrpcDouble.Point> points = new HashMap<>();
        for (int leg = 0; leg < legs.size(); leg++) {
            List<DoubleCollection.Scored> ranked = legs.get(leg);
            for (int position = 0; position < ranked.size(); position++) {
                QdrantGrpcDouble.Point point = ranked.get(position).point();
                scores.merge(point.pointId(), 1.0 / ((position + 1) / (double) weights[leg] + k - 1), Double::sum);
                points.put(point.pointId(), point);
            }
        }
        List<DoubleCollection.Scored> fused = new ArrayList<>();
        scores.forEach((id, score) -> fused.add(new DoubleCollection.Scored(points.get(id), score.floatValue())));
        fused.sort(Comparator.comparingDouble(DoubleCollection.Scored::score).reversed()
                .thenComparing(s -> s.point().pointId(), PointIds.ORDER));
        return fused;
    }

    private static float[] queryVector(DoubleCollection collection, VectorInput input) {
        switch (input.getVariantCase()) {
            case DENSE:
                List<Float> data = input.getDense().getDataList();
                float[] vector = new float[data.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = data.get(i);
                }
                return vector;
            case ID:
                QdrantGrpcDouble.Point point = collection.get(input.getId());
                if (point == null) {
                    throw Status.NOT_FOUND.withDescription("Not found: No point with id "
                            + PointIds.text(input.getId()) + " found").asRuntimeException();
                }
                return point.vector();
            default:
                throw Status.UNIMPLEMENTED.withDescription("Qdrant double takes dense vectors or point ids as "
                        + "query input, not " + input.getVariantCase()).asRuntimeException();
        }
    }

    private PointsOperationResponse operationDone(boolean wait, long start) {
        return PointsOperationResponse.newBuilder()
                .setResult(UpdateResult.newBuilder()
                        .setOperationId(operations.incrementAndGet())
                        .setStatus(wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged))
                .setTime(DoubleCalls.elapsed(start))
                .build();
    }

    private static ScoredPoint scored(DoubleCollection collection, DoubleCollection.Scored scored,
                                      WithPayloadSelector payload, WithVectorsSelector vectors) {
        QdrantGrpcDouble.Point point = scored.point();
        ScoredPoint.Builder builder = ScoredPoint.newBuilder()
                .setId(point.pointId())
                .setScore(scored.score())
                .putAllPayload(selectPayload(point.payload(), payload, false));
        if (vectorsWanted(vectors)) {
            builder.setVectors(vectorsOutput(collection, point));
        }
        return builder.build();
    }

    private static RetrievedPoint retrieved(DoubleCollection collection, QdrantGrpcDouble.Point point,
                                            WithPayloadSelector payload, boolean payloadByDefault,
                                            WithVectorsSelector vectors) {
        RetrievedPoint.Builder builder = RetrievedPoint.newBuilder()
                .setId(point.pointId())
                .putAllPayload(selectPayload(point.payload(), payload, payloadByDefault));
        if (vectorsWanted(vectors)) {
            builder.setVectors(vectorsOutput(collection, point));
        }
        return builder.build();
    }

    private static Map<String, Value> selectPayload(Map<String, Value> payload, WithPayloadSelector selector,
                                                    boolean byDefault) {
        if (selector == null) {
            return byDefault ? payload : Map.of();
        }
        switch (selector.getSelectorOptionsCase()) {
            case ENABLE:
                return selector.getEnable() ? payload : Map.of();
            case INCLUDE: {
                Map<String, Value> kept = new HashMap<>();
                for (String key : selector.getInclude().getFieldsList()) {
                    if (payload.containsKey(key)) {
                        kept.put(key, payload.get(key));
                    }
                }
                return kept;
            }
            case EXCLUDE: {
                Map<String, Value> kept = new HashMap<>(payload);
                selector.getExclude().getFieldsList().forEach(kept::remove);
                return kept;
            }
            default:
                return byDefault ? payload : Map.of();
        }
    }

    private static boolean vectorsWanted(WithVectorsSelector selector) {
        if (selector == null) {
            return false;
        }
        switch (selector.getSelectorOptionsCase()) {
            case ENABLE:
                return selector.getEnable();
            case INCLUDE:
                return true;
            default:
                return false;
        }
    }

    /** One unnamed vector for a dense-only collection; named vectors ("" the dense one) beside sparse ones. */
    private static VectorsOutput vectorsOutput(DoubleCollection collection, QdrantGrpcDouble.Point point) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float component : point.vector()) {
            dense.addData(component);
        }
        VectorOutput denseOutput = VectorOutput.newBuilder().setDense(dense).build();
        if (collection.sparseParams().isEmpty()) {
            return VectorsOutput.newBuilder().setVector(denseOutput).build();
        }
        NamedVectorsOutput.Builder named = NamedVectorsOutput.newBuilder().putVectors("", denseOutput);
        point.sparse().forEach((name, sparse) ->
                named.putVectors(name, VectorOutput.newBuilder().setSparse(sparse).build()));
        return VectorsOutput.newBuilder().setVectors(named).build();
    }
}
