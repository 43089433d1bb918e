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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Points service of the double: upsert, delete (by ids or filter), get, scroll (filter, id-ordered paging),
 * count, query / query batch (nearest + filter + score threshold + limit/offset + payload/vector selection) and
 * payload index creation.
 */
final class DoublePointsService extends PointsGrpc.PointsImplBase {

    private static final int DEFAULT_LIMIT = 10;

    private final DoubleStore store;
    private final AtomicLong operations = new AtomicLong();

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
                    reply.addResult(retrieved(point, request.getWithPayload(), true,
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
                reply.addResult(retrieved(point, request.getWithPayload(), true,
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

    private List<ScoredPoint> query(String collectionName, QueryPoints request) {
        if (request.getPrefetchCount() > 0) {
            throw Status.UNIMPLEMENTED.withDescription("Qdrant double does not model prefetch").asRuntimeException();
        }
        if (request.hasUsing() && !request.getUsing().isEmpty()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Wrong input: Not existing vector name error: " + request.getUsing())
                    .asRuntimeException();
        }
        return store.withCollection(collectionName, collection -> {
            Filter filter = request.hasFilter() ? request.getFilter() : Filter.getDefaultInstance();
            List<DoubleCollection.Scored> ranked;
            if (!request.hasQuery()) {
                ranked = new ArrayList<>();
                for (QdrantGrpcDouble.Point point : collection.matching(filter)) {
                    ranked.add(new DoubleCollection.Scored(point, 0f));
                }
            } else if (request.getQuery().hasNearest()) {
                ranked = collection.nearest(queryVector(collection, request.getQuery().getNearest()), filter);
            } else {
                throw Status.UNIMPLEMENTED.withDescription("Qdrant double models nearest queries only, not "
                        + request.getQuery().getVariantCase()).asRuntimeException();
            }
            long offset = request.hasOffset() ? request.getOffset() : 0;
            long limit = request.hasLimit() ? request.getLimit() : DEFAULT_LIMIT;
            List<ScoredPoint> result = new ArrayList<>();
            long skipped = 0;
            for (DoubleCollection.Scored scored : ranked) {
                if (request.hasScoreThreshold() && request.hasQuery()
                        && !collection.betterOrEqual(scored.score(), request.getScoreThreshold())) {
                    break;
                }
                if (skipped++ < offset) {
                    continue;
                }
                if (result.size() == limit) {
                    break;
                }
                result.add(scored(scored, request.hasWithPayload() ? request.getWithPayload() : null,
                        request.hasWithVectors() ? request.getWithVectors() : null));
            }
            return result;
        });
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

    private static ScoredPoint scored(DoubleCollection.Scored scored, WithPayloadSelector payload,
                                      WithVectorsSelector vectors) {
        QdrantGrpcDouble.Point point = scored.point();
        ScoredPoint.Builder builder = ScoredPoint.newBuilder()
                .setId(point.pointId())
                .setScore(scored.score())
                .putAllPayload(selectPayload(point.payload(), payload, false));
        if (vectorsWanted(vectors)) {
            builder.setVectors(vectorsOutput(point.vector()));
        }
        return builder.build();
    }

    private static RetrievedPoint retrieved(QdrantGrpcDouble.Point point, WithPayloadSelector payload,
                                            boolean payloadByDefault, WithVectorsSelector vectors) {
        RetrievedPoint.Builder builder = RetrievedPoint.newBuilder()
                .setId(point.pointId())
                .putAllPayload(selectPayload(point.payload(), payload, payloadByDefault));
        if (vectorsWanted(vectors)) {
            builder.setVectors(vectorsOutput(point.vector()));
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

    private static VectorsOutput vectorsOutput(float[] vector) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float component : vector) {
            dense.addData(component);
        }
        return VectorsOutput.newBuilder().setVector(VectorOutput.newBuilder().setDense(dense)).build();
    }
}
