package io.streamrag.store.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One collection of the double: its vector parameters, payload indexes and points (kept in Qdrant's id order). Not
 * thread-safe on its own; {@link DoubleStore} serialises access.
 */
final class DoubleCollection {

    private final String name;
    private final VectorParams params;
    private final Map<String, SparseVectorParams> sparseParams;
    private final TreeMap<PointId, QdrantGrpcDouble.Point> points = new TreeMap<>(PointIds.ORDER);
    private final Map<String, PayloadSchemaType> payloadSchema = new LinkedHashMap<>();

    DoubleCollection(String name, VectorParams params, Map<String, SparseVectorParams> sparseParams) {
        if (params.getSize() == 0) {
            throw Status.INVALID_ARGUMENT.withDescription("Wrong input: vector size must be positive")
                    .asRuntimeException();
        }
        this.name = name;
        this.params = params;
        this.sparseParams = Map.copyOf(sparseParams);
    }

    Map<String, SparseVectorParams> sparseParams() {
        return sparseParams;
    }

    String name() {
        return name;
    }

    VectorParams params() {
        return params;
    }

    Map<String, PayloadSchemaType> payloadSchema() {
        return payloadSchema;
    }

    /** Upsert replaces a point whole: vector and payload. Cosine vectors are stored normalised, as Qdrant does. */
    void upsert(List<PointStruct> batch) {
        List<QdrantGrpcDouble.Point> accepted = new ArrayList<>(batch.size());
        for (PointStruct point : batch) {
            PointId id = PointIds.canonical(point.getId());
            Map<String, SparseVector> sparse = new HashMap<>();
            float[] vector = vectorOf(point, sparse);
            accepted.add(new QdrantGrpcDouble.Point(id, Map.copyOf(point.getPayloadMap()), vector, Map.copyOf(sparse)));
        }
        // Validate the whole batch before applying any of it: Qdrant rejects a bad batch as a whole.
        for (QdrantGrpcDouble.Point point : accepted) {
            points.put(point.pointId(), point);
        }
    }

    int deleteIds(List<PointId> ids) {
        int removed = 0;
        for (PointId id : ids) {
            if (points.remove(PointIds.canonical(id)) != null) {
                removed++;
            }
        }
        return removed;
    }

    int deleteMatching(Filter filter) {
        List<PointId> doomed = matching(filter).stream().map(QdrantGrpcDouble.Point::pointId).toList();
        doomed.forEach(points::remove);
        return doomed.size();
    }

    /** Points matching the filter (all points for a default filter), in id order. */
    List<QdrantGrpcDouble.Point> matching(Filter filter) {
        List<QdrantGrpcDouble.Point> result = new ArrayList<>();
        for (QdrantGrpcDouble.Point point : points.values()) {
            if (PayloadFilter.matches(filter, point.pointId(), point.payload())) {
                result.add(point);
            }
        }
        return result;
    }

    /** Points from {@code start} (inclusive) on, in id order. */
    Collection<QdrantGrpcDouble.Point> from(PointId start) {
        return points.tailMap(PointIds.canonical(start), true).values();
    }

    QdrantGrpcDouble.Point get(PointId id) {
        return points.get(PointIds.canonical(id));
    }

    List<QdrantGrpcDouble.Point> all() {
        return new ArrayList<>(points.values());
    }

    int size() {
        return points.size();
    }

    /** Nearest points by the collection's distance (cosine: dot product of normalised vectors), best first. */
    List<Scored> nearest(float[] query, Filter filter) {
        checkDimension(query.length);
        float[] target = params.getDistance() == Distance.Cosine ? normalised(query) : query;
        List<Scored> scored = new ArrayList<>();
        for (QdrantGrpcDouble.Point point : matching(filter)) {
            scored.add(new Scored(point, score(target, point.vector())));
        }
        Comparator<Scored> order = params.getDistance() == Distance.Euclid || params.getDistance() == Distance.Manhattan
                ? Comparator.comparingDouble(Scored::score)
                : Comparator.comparingDouble(Scored::score).reversed();
        scored.sort(order.thenComparing(s -> s.point().pointId(), PointIds.ORDER));
        return scored;
    }

    boolean betterOrEqual(float score, float threshold) {
        return params.getDistance() == Distance.Euclid || params.getDistance() == Distance.Manhattan
                ? score <= threshold
                : score >= threshold;
    }

    private float score(float[] query, float[] stored) {
        double sum = 0;
        switch (params.getDistance()) {
            case Cosine:
            case Dot:
                for (int i = 0; i < query.length; i++) {
                    sum += (double) query[i] * stored[i];
                }
                return (float) sum;
            case Euclid:
                for (int i = 0; i < query.length; i++) {
                    double d = query[i] - stored[i];
                    sum += d * d;
                }
                return (float) Math.sqrt(sum);
            case Manhattan:
                for (int i = 0; i < query.length; i++) {
                    sum += Math.abs(query[i] - stored[i]);
                }
                return (float) sum;
            default:
                throw Status.INVALID_ARGUMENT.withDescription("Unknown distance " + params.getDistance())
                        .asRuntimeException();
        }
    }

    /**
     * The point's default dense vector; its named sparse vectors go into {@code sparse}. A point either has one
     * unnamed vector, or named vectors where "" is the default dense one and the others are configured sparse ones.
     */
    private float[] vectorOf(PointStruct point, Map<String, SparseVector> sparse) {
        if (!point.hasVectors()) {
            throw invalid("Wrong input: point " + PointIds.text(point.getId()) + " has no vectors");
        }
        Vector dense;
        if (point.getVectors().getVectorsOptionsCase() == Vectors.VectorsOptionsCase.VECTOR) {
            dense = point.getVectors().getVector();
        } else {
            Map<String, Vector> named = point.getVectors().getVectors().getVectorsMap();
            dense = named.get("");
            if (dense == null) {
                throw invalid("Wrong input: point " + PointIds.text(point.getId())
                        + " lacks the default vector \"\"");
            }
            for (Map.Entry<String, Vector> entry : named.entrySet()) {
                if (entry.getKey().isEmpty()) {
                    continue;
                }
                if (!sparseParams.containsKey(entry.getKey())) {
                    throw invalid("Wrong input: Not existing vector name error: " + entry.getKey());
                }
                if (!entry.getValue().hasSparse()) {
                    throw invalid("Wrong input: vector " + entry.getKey() + " must be sparse");
                }
                sparse.put(entry.getKey(), checkedSparse(entry.getValue().getSparse()));
            }
        }
        return denseOf(point, dense);
    }

    @SuppressWarnings("deprecation")
    private float[] denseOf(PointStruct point, Vector vector) {
        List<Float> data;
        if (vector.hasDense()) {
            data = vector.getDense().getDataList();
        } else if (vector.getVectorCase() == Vector.VectorCase.VECTOR_NOT_SET && vector.getDataCount() > 0
                && !vector.hasIndices() && !vector.hasVectorsCount()) {
            data = vector.getDataList(); // the older flat field, still sent by some clients
        } else {
            throw invalid("Wrong input: point " + PointIds.text(point.getId())
                    + " has no dense default vector (multi-vectors are not configured)");
        }
        checkDimension(data.size());
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i);
        }
        return params.getDistance() == Distance.Cosine ? normalised(values) : values;
    }

    /** Qdrant rejects sparse vectors whose indices and values differ in number or repeat an index. */
    private static SparseVector checkedSparse(SparseVector vector) {
        if (vector.getIndicesCount() != vector.getValuesCount()) {
            throw invalid("Wrong input: sparse vector has " + vector.getIndicesCount() + " indices and "
                    + vector.getValuesCount() + " values");
        }
        if (new HashSet<>(vector.getIndicesList()).size() != vector.getIndicesCount()) {
            throw invalid("Wrong input: sparse vector indices must be unique");
        }
        return vector;
    }

    /**
     * Points sharing at least one index with {@code query} in sparse vector {@code using}, by dot product, best
     * first; with the IDF modifier each index's product is weighted by
     * {@code ln(1 + (N - n + 0.5) / (n + 0.5))}, N the points of the collection, n those having the index (Qdrant's
     * BM25 idf).
     */
    List<Scored> nearestSparse(String using, SparseVector query, Filter filter) {
        SparseVectorParams sparse = sparseParams.get(using);
        if (sparse == null) {
            throw invalid("Wrong input: Not existing vector name error: " + using);
        }
        checkedSparse(query);
        boolean idf = sparse.hasModifier() && sparse.getModifier() == Modifier.Idf;
        Map<Integer, Double> weights = new HashMap<>();
        for (int i = 0; i < query.getIndicesCount(); i++) {
            int index = query.getIndices(i);
            double weight = query.getValues(i);
            if (idf) {
                long having = points.values().stream()
                        .filter(point -> has(point.sparse().get(using), index)).count();
                weight *= Math.log(1 + (points.size() - having + 0.5) / (having + 0.5));
            }
            weights.put(index, weight);
        }
        List<Scored> scored = new ArrayList<>();
        for (QdrantGrpcDouble.Point point : matching(filter)) {
            SparseVector stored = point.sparse().get(using);
            if (stored == null) {
                continue;
            }
            double sum = 0;
            boolean overlaps = false;
            for (int i = 0; i < stored.getIndicesCount(); i++) {
                Double weight = weights.get(stored.getIndices(i));
                if (weight != null) {
                    overlaps = true;
                    sum += weight * stored.getValues(i);
                }
            }
            if (overlaps) {
                scored.add(new Scored(point, (float) sum));
            }
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed()
                .thenComparing(s -> s.point().pointId(), PointIds.ORDER));
        return scored;
    }

    private static boolean has(SparseVector vector, int index) {
        return vector != null && vector.getIndicesList().contains(index);
    }

    private static RuntimeException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
    }

    private void checkDimension(int size) {
        if (size != params.getSize()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Wrong input: Vector dimension error: expected dim: " + params.getSize()
                            + ", got " + size)
                    .asRuntimeException();
        }
    }

    private static float[] normalised(float[] vector) {
        double norm = 0;
        for (float component : vector) {
            norm += (double) component * component;
        }
        if (norm == 0) {
            return vector.clone();
        }
        double scale = 1 / Math.sqrt(norm);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }

    record Scored(QdrantGrpcDouble.Point point, float score) {
    }
}
