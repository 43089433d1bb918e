package io.streamrag.store.qdrant;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.isNull;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchExceptKeywords;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.nested;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The double's own semantics, driven with the raw {@link QdrantClient} and its factories, checked against what
 * Qdrant's documentation says: ids, vector input forms, filters, scroll paging, errors, aliases.
 */
class QdrantGrpcDoubleTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static QdrantGrpcDouble qdrant;
    private static QdrantClient client;

    private String collection;

    @BeforeAll
    static void start() {
        qdrant = QdrantGrpcDouble.start();
        client = QdrantVectorStore.newClient(qdrant.config("unused"));
    }

    @AfterAll
    static void stop() {
        client.close();
        qdrant.close();
    }

    @BeforeEach
    void createCollection() throws Exception {
        collection = "double_" + NAMES.incrementAndGet();
        client.createCollectionAsync(collection,
                VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()).get();
    }

    @AfterEach
    void heal() {
        qdrant.setAvailable(true);
        qdrant.failNextCalls(0);
    }

    @Test
    void healthCheckReportsTheServerVersion() throws Exception {
        HealthCheckReply reply = client.healthCheckAsync().get();

        assertThat(reply.getVersion()).isEqualTo(QdrantGrpcDouble.VERSION);
        assertThat(reply.getTitle()).contains("qdrant");
    }

    @Test
    void acceptsIntegerAndUuidIdsAndScrollsIntegersFirst() throws Exception {
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
        upsert(point(id(high), Map.of(), 1, 0), point(id(7), Map.of(), 1, 0), point(id(low), Map.of(), 1, 0),
                point(id(3), Map.of(), 1, 0));

        List<String> ids = scrollAll(Filter.getDefaultInstance(), 100).stream()
                .map(p -> PointIds.text(p.getId())).toList();

        assertThat(ids).containsExactly("3", "7", low.toString(), high.toString());
    }

    @Test
    void answersUuidsGivenAsPlainHexInTheHyphenatedForm() throws Exception {
        PointId plain = PointId.newBuilder().setUuid("0123456789ABCDEF0123456789abcdef").build();
        upsert(point(plain, Map.of(), 1, 0));

        assertThat(qdrant.points(collection)).extracting(QdrantGrpcDouble.Point::id)
                .containsExactly("01234567-89ab-cdef-0123-456789abcdef");
    }

    @Test
    void rejectsMalformedIdsAndWrongDimensions() {
        PointId bad = PointId.newBuilder().setUuid("not-a-uuid").build();

        assertThat(status(() -> upsert(point(bad, Map.of(), 1, 0)))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        Throwable wrongSize = catchFailure(() -> client.upsertAsync(collection, List.of(PointStruct.newBuilder()
                .setId(id(1)).setVectors(vectors(1, 2, 3)).build())).get());
        assertThat(Status.fromThrowable(wrongSize).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Status.fromThrowable(wrongSize).getDescription()).contains("expected dim: 2, got 3");
        assertThat(qdrant.points(collection)).isEmpty();
    }

    @Test
    void acceptsTheOlderFlatVectorField() throws Exception {
        @SuppressWarnings("deprecation")
        Vector old = Vector.newBuilder().addData(0).addData(2).build();
        upsert(PointStruct.newBuilder().setId(id(1)).setVectors(Vectors.newBuilder().setVector(old)).build());

        assertThat(qdrant.points(collection).get(0).vector()).containsExactly(0f, 1f);
    }

    @Test
    void upsertReplacesTheWholePoint() throws Exception {
        upsert(point(id(1), Map.of("a", value("x"), "b", value("y")), 1, 0));
        upsert(point(id(1), Map.of("a", value("z")), 0, 1));

        QdrantGrpcDouble.Point point = qdrant.points(collection).get(0);
        assertThat(point.payload()).containsOnlyKeys("a");
        assertThat(point.string("a")).isEqualTo("z");
        assertThat(point.vector()).containsExactly(0f, 1f);
    }

    @Test
    void evaluatesFiltersAsQdrantDocumentsThem() throws Exception {
        upsert(point(id(1), Map.of("color", value("red"), "size", value(3), "tags", list(List.of(value("a"),
                value("b")))), 1, 0),
                point(id(2), Map.of("color", value("blue"), "size", value(10.5), "owner", nullValue()), 1, 0),
                point(id(3), Map.of("color", value("green"), "tags", list(List.of())), 1, 0),
                point(id(4), Map.of("meta", value(Map.of("lang", value("en")))), 1, 0),
                point(id(5), Map.of("items", list(List.of(value(Map.of("k", value("x"), "n", value(1))),
                        value(Map.of("k", value("y"), "n", value(2)))))), 1, 0));

        assertThat(ids(Filter.newBuilder().addMust(matchKeyword("color", "red")).build())).containsExactly(1L);
        assertThat(ids(Filter.newBuilder().addMust(matchKeyword("tags", "b")).build()))
                .as("an array matches when any element does").containsExactly(1L);
        assertThat(ids(Filter.newBuilder().addShould(matchKeyword("color", "red"))
                .addShould(matchKeyword("color", "green")).build())).containsExactly(1L, 3L);
        assertThat(ids(Filter.newBuilder().addMustNot(matchKeyword("color", "red")).build()))
                .containsExactly(2L, 3L, 4L, 5L);
        assertThat(ids(Filter.newBuilder().addMust(range("size", Range.newBuilder().setGte(3).setLt(11).build()))
                .build())).containsExactly(1L, 2L);
        assertThat(ids(Filter.newBuilder().addMust(match("size", 3)).build())).containsExactly(1L);
        assertThat(ids(Filter.newBuilder().addMust(isEmpty("tags")).build()))
                .as("missing, null or empty array").containsExactly(2L, 3L, 4L, 5L);
        assertThat(ids(Filter.newBuilder().addMust(isNull("owner")).build())).containsExactly(2L);
        assertThat(ids(Filter.newBuilder().addMust(hasId(List.of(id(2), id(4)))).build())).containsExactly(2L, 4L);
        assertThat(ids(Filter.newBuilder().addMust(matchKeyword("meta.lang", "en")).build())).containsExactly(4L);
        assertThat(ids(Filter.newBuilder().addMust(matchKeywords("color", List.of("blue", "green"))).build()))
                .containsExactly(2L, 3L);
        assertThat(ids(Filter.newBuilder().addMust(matchExceptKeywords("color", List.of("red"))).build()))
                .containsExactly(2L, 3L, 4L, 5L);
        assertThat(ids(Filter.newBuilder().addMust(filter(Filter.newBuilder()
                .addShould(matchKeyword("color", "blue")).addShould(matchKeyword("meta.lang", "en")).build()))
                .build())).containsExactly(2L, 4L);
        assertThat(ids(Filter.newBuilder().addMust(nested("items", Filter.newBuilder()
                .addMust(matchKeyword("k", "x")).addMust(match("n", 1)).build())).build())).containsExactly(5L);
        assertThat(ids(Filter.newBuilder().addMust(nested("items", Filter.newBuilder()
                .addMust(matchKeyword("k", "x")).addMust(match("n", 2)).build())).build()))
                .as("nested: one element must satisfy the whole filter").isEmpty();
    }

    @Test
    void scrollPagesWithNextPageOffset() throws Exception {
        for (long i = 1; i <= 7; i++) {
            upsert(point(id(i), Map.of("even", value(i % 2 == 0)), 1, 0));
        }

        ScrollResponse first = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(collection)
                .setLimit(3).build()).get();
        ScrollResponse second = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(collection)
                .setLimit(3).setOffset(first.getNextPageOffset()).build()).get();
        ScrollResponse last = client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(collection)
                .setLimit(3).setOffset(second.getNextPageOffset()).build()).get();

        assertThat(first.getResultList()).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L, 3L);
        assertThat(first.getNextPageOffset().getNum()).isEqualTo(4L);
        assertThat(second.getResultList()).extracting(p -> p.getId().getNum()).containsExactly(4L, 5L, 6L);
        assertThat(last.getResultList()).extracting(p -> p.getId().getNum()).containsExactly(7L);
        assertThat(last.hasNextPageOffset()).isFalse();
        assertThat(first.getResult(0).getPayloadMap()).as("scroll returns payload by default").containsKey("even");
    }

    @Test
    void queryRanksByCosineAndHonoursThresholdLimitOffsetAndFilter() throws Exception {
        upsert(point(id(1), Map.of("g", value("a")), 1, 0),      // cos 1
                point(id(2), Map.of("g", value("a")), 1, 1),     // cos 0.707
                point(id(3), Map.of("g", value("b")), 0, 1),     // cos 0
                point(id(4), Map.of("g", value("a")), -1, 0));   // cos -1

        List<ScoredPoint> all = client.queryAsync(QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(nearest(2, 0)).build()).get();
        List<ScoredPoint> thresholded = client.queryAsync(QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(nearest(2, 0)).setScoreThreshold(0.5f).build()).get();
        List<ScoredPoint> page = client.queryAsync(QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(nearest(2, 0)).setLimit(2).setOffset(1)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true)).build()).get();
        List<ScoredPoint> filtered = client.queryAsync(QueryPoints.newBuilder().setCollectionName(collection)
                .setQuery(nearest(0, 1)).setFilter(Filter.newBuilder().addMust(matchKeyword("g", "a"))).build())
                .get();

        assertThat(all).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.get(1).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(all.get(3).getScore()).isCloseTo(-1f, within(1e-6f));
        assertThat(all.get(0).getPayloadMap()).as("query returns no payload unless asked").isEmpty();
        assertThat(thresholded).extracting(p -> p.getId().getNum()).containsExactly(1L, 2L);
        assertThat(page).extracting(p -> p.getId().getNum()).containsExactly(2L, 3L);
        assertThat(page.get(0).getPayloadMap()).containsKey("g");
        assertThat(filtered).extracting(p -> p.getId().getNum()).containsExactly(2L, 1L, 4L);
    }

    @Test
    void countsAndGetsPoints() throws Exception {
        upsert(point(id(1), Map.of("g", value("a")), 1, 0), point(id(2), Map.of("g", value("b")), 0, 1));

        long all = client.countAsync(collection).get();
        long filtered = client.countAsync(collection, Filter.newBuilder().addMust(matchKeyword("g", "b")).build(),
                true).get();
        List<RetrievedPoint> got = client.retrieveAsync(collection, List.of(id(2), id(99)), true, true, null).get();

        assertThat(all).isEqualTo(2);
        assertThat(filtered).isEqualTo(1);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).getPayloadMap().get("g").getStringValue()).isEqualTo("b");
        assertThat(got.get(0).getVectors().getVector().getDense().getDataList()).containsExactly(0f, 1f);
    }

    @Test
    void deletesByIdsAndByFilter() throws Exception {
        upsert(point(id(1), Map.of("g", value("a")), 1, 0), point(id(2), Map.of("g", value("b")), 0, 1),
                point(id(3), Map.of("g", value("b")), 1, 1));

        client.deleteAsync(collection, List.of(id(1))).get();
        client.deleteAsync(collection, Filter.newBuilder().addMust(match("g", 5)).build()).get(); // matches none
        client.deleteAsync(collection, Filter.newBuilder().addMust(matchKeyword("g", "b"))
                .addMust(hasId(id(3))).build()).get();

        assertThat(qdrant.points(collection)).extracting(QdrantGrpcDouble.Point::id).containsExactly("2");
    }

    @Test
    void reportsMissingAndDuplicateCollections() {
        assertThat(status(() -> client.countAsync("missing_collection").get())).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(status(() -> client.createCollectionAsync(collection,
                VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()).get()))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void updatesAliasesAllOrNothing() throws Exception {
        String other = collection + "_other";
        client.createCollectionAsync(other, VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine)
                .build()).get();
        client.createAliasAsync(collection + "_live", collection).get();

        Status.Code failed = status(() -> client.updateAliasesAsync(List.of(
                AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder()
                        .setAliasName(collection + "_live")).build(),
                AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                        .setAliasName(collection + "_live").setCollectionName("no_such_collection")).build()))
                .get());

        assertThat(failed).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(qdrant.aliases()).containsEntry(collection + "_live", collection);
        assertThat(client.listCollectionAliasesAsync(collection).get()).containsExactly(collection + "_live");

        client.deleteCollectionAsync(collection).get();
        assertThat(qdrant.aliases()).doesNotContainKey(collection + "_live");
        assertThat(client.collectionExistsAsync(collection).get()).isFalse();
        assertThat(client.collectionExistsAsync(other).get()).isTrue();
    }

    @Test
    void simulatesOutages() throws Exception {
        qdrant.failNextCalls(2);
        assertThat(status(() -> client.countAsync(collection).get())).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status(() -> client.countAsync(collection).get())).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(client.countAsync(collection).get()).isZero();

        qdrant.setAvailable(false);
        assertThat(status(() -> client.healthCheckAsync().get())).isEqualTo(Status.Code.UNAVAILABLE);
        qdrant.setAvailable(true);
        assertThat(client.healthCheckAsync().get().getVersion()).isEqualTo(QdrantGrpcDouble.VERSION);
    }

    @Test
    void refusesWhatItDoesNotModel() throws Exception {
        upsert(point(id(1), Map.of("t", value("hello world")), 1, 0)); // a filter is only evaluated on points
        Condition text = io.qdrant.client.ConditionFactory.matchText("t", "hello");

        assertThat(status(() -> client.countAsync(collection, Filter.newBuilder().addMust(text).build(), true)
                .get())).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    // ---- helpers ----

    private void upsert(PointStruct... points) throws Exception {
        client.upsertAsync(collection, List.of(points)).get();
    }

    private static PointStruct point(PointId id, Map<String, Value> payload, float x, float y) {
        return PointStruct.newBuilder().setId(id).putAllPayload(payload).setVectors(vectors(x, y)).build();
    }

    private List<Long> ids(Filter filter) throws Exception {
        return scrollAll(filter, 2).stream().map(p -> p.getId().getNum()).toList();
    }

    private List<RetrievedPoint> scrollAll(Filter filter, int pageSize) throws Exception {
        List<RetrievedPoint> all = new ArrayList<>();
        PointId offset = null;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(collection).setFilter(filter)
                    .setLimit(pageSize);
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollResponse response = client.scrollAsync(request.build()).get();
            all.addAll(response.getResultList());
            offset = response.hasNextPageOffset() ? response.getNextPageOffset() : null;
        } while (offset != null);
        return all;
    }

    private static Status.Code status(ThrowingCall call) {
        return Status.fromThrowable(catchFailure(call)).getCode();
    }

    private static Throwable catchFailure(ThrowingCall call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
