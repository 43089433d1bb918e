package io.streamrag.store.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreContractTest;
import io.streamrag.store.VectorStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract and the Qdrant-specific behaviour (payload layout, indexes, aliases, API key, retries) with the real
 * {@code QdrantClient} over a real gRPC channel to {@link QdrantGrpcDouble}.
 */
class QdrantVectorStoreTest extends VectorStoreContractTest {

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private static QdrantGrpcDouble qdrant;

    private String collection;
    private final List<VectorStore> extraStores = new ArrayList<>();

    @BeforeAll
    static void startDouble() {
        qdrant = QdrantGrpcDouble.start();
    }

    @AfterAll
    static void stopDouble() {
        qdrant.close();
    }

    @Override
    protected VectorStore newStore() {
        collection = "contract_" + COLLECTIONS.incrementAndGet();
        return QdrantVectorStore.connect(qdrant.config(collection));
    }

    @AfterEach
    void restoreDouble() {
        qdrant.setAvailable(true);
        qdrant.failNextCalls(0);
        qdrant.requireApiKey(null);
        extraStores.forEach(VectorStore::close);
    }

    @Test
    void createsTheCollectionWithKeywordIndexesOnDocumentIdAndTenant() {
        assertThat(qdrant.collections()).contains(collection);
        assertThat(qdrant.payloadIndexes(collection))
                .containsEntry("document_id", "Keyword")
                .containsEntry("tenant", "Keyword");
    }

    @Test
    void storesTheKeywordSparseVectorBesideTheDenseOneInTheSamePoint() {
        StoredChunk chunk = new StoredChunk(chunkId("doc-1", 0), "doc-1", 0, 1L, "Volcanoes",
                "Volcanoes erupt; the volcano Etna erupted.", null, Map.of(), new float[] {1, 0, 0, 0});
        store.replaceDocument("doc-1", List.of(chunk));

        QdrantGrpcDouble.Point point = qdrant.points(collection).get(0);
        assertThat(point.vector()).containsExactly(1f, 0f, 0f, 0f);
        io.qdrant.client.grpc.Points.SparseVector keywords = point.sparse().get(KeywordVectors.NAME);
        assertThat(keywords).isNotNull();
        int volcano = KeywordVectors.termId("volcano");
        int index = keywords.getIndicesList().indexOf(volcano);
        assertThat(index).as("stemmed 'volcano' (title + text: 3 times)").isNotNegative();
        // BM25 saturation of tf = 3 over this chunk's own length: above tf = 1's weight, below k1 + 1
        assertThat(keywords.getValues(index)).isGreaterThan(keywords.getValues(
                keywords.getIndicesList().indexOf(KeywordVectors.termId("etna")))).isLessThan(2.2f);
    }

    @Test
    void aHybridSearchIsOneQueryWithADenseAndASparsePrefetchFusedByWeightedRrf() {
        store.replaceDocument("doc-1", List.of(new StoredChunk(chunkId("doc-1", 0), "doc-1", 0, 1L, "T",
                "Glaciers carve valleys.", "acme", Map.of("lang", "en"), new float[] {1, 0, 0, 0})));
        int before = qdrant.queries().size();

        store.search(List.of(new SearchRequest(new float[] {1, 0, 0, 0}, "How do glaciers carve valleys?", 3,
                "acme", Map.of("lang", "en"), -1.0,
                new RetrievalPlan(RetrievalMode.HYBRID, 40, 30, 7, 1.0, 1.5))));

        List<QueryPoints> sent = qdrant.queries().subList(before, qdrant.queries().size());
        assertThat(sent).hasSize(1);
        QueryPoints query = sent.get(0);
        assertThat(query.getPrefetchCount()).isEqualTo(2);
        assertThat(query.getPrefetch(0).getQuery().getNearest().hasDense()).isTrue();
        assertThat(query.getPrefetch(0).getLimit()).isEqualTo(40);
        assertThat(query.getPrefetch(1).getUsing()).isEqualTo(KeywordVectors.NAME);
        assertThat(query.getPrefetch(1).getQuery().getNearest().hasSparse()).isTrue();
        assertThat(query.getPrefetch(1).getLimit()).isEqualTo(30);
        assertThat(query.getQuery().getRrf().getK()).isEqualTo(7);
        assertThat(query.getQuery().getRrf().getWeightsList()).containsExactly(1.0f, 1.5f);
        // the tenant and metadata filter sit inside each leg, not only on the fused result
        for (int leg = 0; leg < 2; leg++) {
            assertThat(query.getPrefetch(leg).getFilter()).isEqualTo(ChunkFilters.forRequest(
                    new SearchRequest(new float[] {1, 0, 0, 0}, 3, "acme", Map.of("lang", "en"), -1.0)));
        }
        assertThat(query.getLimit()).as("no threshold: the top-k").isEqualTo(3);
    }

    @Test
    void newCollectionsCarryTheConfiguredHnswQuantisationStorageAndShardingAndSearchesTheirEf() {
        String tuned = collection + "_tuned";
        VectorStore store = QdrantVectorStore.connect(qdrant.config(tuned).withCollectionOptions(
                new CollectionOptions(32, 200, 128, CollectionOptions.Quantization.INT8, true, 3, 2)));
        extraStores.add(store);
        store.ensureCollection(DIMENSION);

        io.qdrant.client.grpc.Collections.CreateCollection create = qdrant.createRequests().stream()
                .filter(request -> request.getCollectionName().equals(tuned)).findFirst().orElseThrow();
        assertThat(create.getHnswConfig().getM()).isEqualTo(32);
        assertThat(create.getHnswConfig().getEfConstruct()).isEqualTo(200);
        assertThat(create.getHnswConfig().getOnDisk()).isTrue();
        assertThat(create.getVectorsConfig().getParams().getOnDisk()).isTrue();
        assertThat(create.getQuantizationConfig().getScalar().getType())
                .isEqualTo(io.qdrant.client.grpc.Collections.QuantizationType.Int8);
        assertThat(create.getShardNumber()).isEqualTo(3);
        assertThat(create.getReplicationFactor()).isEqualTo(2);
        assertThat(create.getSparseVectorsConfig().getMapMap().get(KeywordVectors.NAME).getModifier())
                .isEqualTo(io.qdrant.client.grpc.Collections.Modifier.Idf);

        int before = qdrant.queries().size();
        store.search(List.of(new SearchRequest(new float[] {1, 0, 0, 0}, 3, null, Map.of(), -1.0)));
        assertThat(qdrant.queries().get(before).getParams().getHnswEf()).isEqualTo(128);
    }

    @Test
    void theServerDefaultsSendNoCollectionSettings() {
        io.qdrant.client.grpc.Collections.CreateCollection create = qdrant.createRequests().stream()
                .filter(request -> request.getCollectionName().equals(collection)).findFirst().orElseThrow();
        assertThat(create.hasHnswConfig()).isFalse();
        assertThat(create.hasQuantizationConfig()).isFalse();
        assertThat(create.hasShardNumber()).isFalse();
    }

    @Test
    void aCollectionFromBeforeHybridSearchIsSearchedDenseOnly() {
        String old = collection + "_old";
        qdrant.createDenseOnlyCollection(old, DIMENSION);
        VectorStore legacy = QdrantVectorStore.connect(qdrant.config(old));
        extraStores.add(legacy);
        legacy.ensureCollection(DIMENSION);
        legacy.replaceDocument("doc-1", List.of(new StoredChunk(chunkId("doc-1", 0), "doc-1", 0, 1L, "T",
                "Glaciers carve valleys.", null, Map.of(), new float[] {1, 0, 0, 0})));

        List<List<io.streamrag.store.SearchHit>> hits = legacy.search(List.of(new SearchRequest(
                new float[] {1, 0, 0, 0}, "glaciers", 3, null, Map.of(), -1.0, RetrievalPlan.hybrid())));

        assertThat(hits.get(0)).extracting(hit -> hit.chunk().documentId()).containsExactly("doc-1");
        assertThat(qdrant.points(old).get(0).sparse()).isEmpty();
    }

    @Test
    void storesChunksAsPointsWithTheDocumentedPayload() {
        StoredChunk chunk = new StoredChunk(chunkId("doc-1", 0), "doc-1", 0, 42L, "A title", "Some text", "acme",
                Map.of("lang", "en"), new float[] {3, 4, 0, 0});
        store.replaceDocument("doc-1", List.of(chunk));

        List<QdrantGrpcDouble.Point> points = qdrant.points(collection);
        assertThat(points).hasSize(1);
        QdrantGrpcDouble.Point point = points.get(0);
        assertThat(point.id()).isEqualTo(chunk.chunkId());
        assertThat(point.string("document_id")).isEqualTo("doc-1");
        assertThat(point.integer("chunk_index")).isZero();
        assertThat(point.integer("version")).isEqualTo(42L);
        assertThat(point.string("title")).isEqualTo("A title");
        assertThat(point.string("text")).isEqualTo("Some text");
        assertThat(point.string("tenant")).isEqualTo("acme");
        Value metadata = point.payload().get("metadata");
        assertThat(metadata.getStructValue().getFieldsOrThrow("lang").getStringValue()).isEqualTo("en");
        assertThat(point.vector()).containsExactly(0.6f, 0.8f, 0f, 0f); // cosine vectors are stored normalised
    }

    @Test
    void leavesNoTenantFieldOnUntenantedChunks() {
        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0})));

        assertThat(qdrant.points(collection).get(0).payload()).doesNotContainKey("tenant");
    }

    @Test
    void splitsLargeDocumentsIntoSeveralUpserts() {
        VectorStore batched = open(qdrant.config(collection).withUpsertBatchSize(2));
        long before = qdrant.calls("qdrant.Points/Upsert");
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            chunks.add(untenanted("doc-1", i, "chunk " + i, new float[] {1, i, 0, 0}));
        }

        batched.replaceDocument("doc-1", chunks);

        assertThat(qdrant.calls("qdrant.Points/Upsert") - before).isEqualTo(3);
        assertThat(store.chunksOf("doc-1")).hasSize(5);
    }

    @Test
    void chunksOfPagesThroughLongDocuments() {
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            chunks.add(untenanted("long", i, "chunk " + i, new float[] {1, i, 0, 0}));
        }
        store.replaceDocument("long", chunks);
        long scrollsBefore = qdrant.calls("qdrant.Points/Scroll");

        List<StoredChunk> read = store.chunksOf("long");

        assertThat(read).extracting(StoredChunk::chunkIndex).containsExactlyElementsOf(
                chunks.stream().map(StoredChunk::chunkIndex).toList());
        assertThat(qdrant.calls("qdrant.Points/Scroll") - scrollsBefore).isEqualTo(3); // 256 + 256 + 88
    }

    @Test
    void ridesOutAShortOutage() {
        qdrant.failNextCalls(3);
        long rejectedBefore = qdrant.rejectedCalls();

        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "survived", new float[] {1, 0, 0, 0})));

        assertThat(qdrant.rejectedCalls() - rejectedBefore).isEqualTo(3);
        assertThat(qdrant.points(collection)).extracting(p -> p.string("text")).containsExactly("survived");
    }

    @Test
    void retriesOverloadAsWellAsUnavailability() {
        qdrant.failNextCalls(2, Status.Code.RESOURCE_EXHAUSTED);

        assertThat(store.count()).isZero();
        assertThat(qdrant.rejectedCalls()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void failsAfterTheRetryBudgetWhenTheOutageLasts() {
        VectorStore impatient = open(qdrant.config(collection).withRetry(
                new RetryPolicy(Duration.ofMillis(300), Duration.ofMillis(10), Duration.ofMillis(50), 0.2)));
        qdrant.setAvailable(false);
        long rejectedBefore = qdrant.rejectedCalls();

        assertThatThrownBy(() -> impatient.replaceDocument("doc-1",
                List.of(untenanted("doc-1", 0, "lost", new float[] {1, 0, 0, 0}))))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("upsert of document doc-1")
                .hasMessageContaining(collection)
                .hasMessageContaining("UNAVAILABLE")
                .hasMessageContaining("retry budget 300 ms");
        assertThat(qdrant.rejectedCalls() - rejectedBefore).isGreaterThan(1);

        qdrant.setAvailable(true);
        assertThat(qdrant.points(collection)).isEmpty();
        assertThat(impatient.count()).isZero();
    }

    @Test
    void doesNotRetryErrorsThatAreNotTransient() {
        qdrant.failNextCalls(1, Status.Code.INTERNAL);
        long upsertsBefore = qdrant.calls("qdrant.Points/Upsert");

        assertThatThrownBy(() -> store.replaceDocument("doc-1",
                List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0}))))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("INTERNAL");
        assertThat(qdrant.calls("qdrant.Points/Upsert") - upsertsBefore).isEqualTo(1);
    }

    @Test
    void reportsAMissingCollectionAtOnce() {
        VectorStore elsewhere = open(qdrant.config("never_created"));

        assertThatThrownBy(() -> elsewhere.search(List.of(
                new SearchRequest(new float[] {1, 0, 0, 0}, 3, null, Map.of(), -1))))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("NOT_FOUND")
                .hasMessageContaining("never_created");
    }

    @Test
    void sendsTheApiKeyAsAHeader() {
        qdrant.requireApiKey("s3cret");
        VectorStore withKey = open(qdrant.config(collection)); // the double's config carries its key
        VectorStore withoutKey = open(qdrant.config(collection).withApiKey(null));
        VectorStore wrongKey = open(qdrant.config(collection).withApiKey("guess"));

        withKey.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0})));

        assertThat(withKey.count()).isEqualTo(1);
        assertThatThrownBy(withoutKey::count).isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("UNAUTHENTICATED");
        assertThatThrownBy(wrongKey::count).isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("PERMISSION_DENIED");
    }

    @Test
    void isNotReachableDuringAnOutage() {
        qdrant.setAvailable(false);

        assertThat(store.isReachable()).isFalse();

        qdrant.setAvailable(true);
        assertThat(store.isReachable()).isTrue();
    }

    @Test
    void servesAModelCollectionThroughAnAlias() {
        String alias = "docs_" + COLLECTIONS.incrementAndGet();
        QdrantConfig config = qdrant.config(alias).withEmbeddingModel("sentence-transformers/all-MiniLM-L6-v2");
        VectorStore aliased = open(config);

        aliased.ensureCollection(DIMENSION);
        aliased.ensureCollection(DIMENSION); // a restart finds the alias and changes nothing
        aliased.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0})));

        String physical = alias + "_sentence_transformers_all_minilm_l6_v2_4";
        assertThat(qdrant.aliases()).containsEntry(alias, physical);
        assertThat(qdrant.points(physical)).hasSize(1);
        assertThat(qdrant.payloadIndexes(physical)).containsKeys("document_id", "tenant");
        assertThat(aliased.count()).isEqualTo(1);
    }

    @Test
    void refusesAnotherModelOnAnAliasUntilAReindexSwitchesIt() {
        String alias = "docs_" + COLLECTIONS.incrementAndGet();
        open(qdrant.config(alias).withEmbeddingModel("model-a")).ensureCollection(DIMENSION);
        VectorStore otherModel = open(qdrant.config(alias).withEmbeddingModel("model-b"));

        assertThatThrownBy(() -> otherModel.ensureCollection(DIMENSION))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining(alias + "_model_a_4")
                .hasMessageContaining(alias + "_model_b_4")
                .hasMessageContaining("reindex");

        QdrantCollections collections = ((QdrantVectorStore) otherModel).collections();
        collections.ensureCollection(alias + "_model_b_4", DIMENSION);
        collections.switchAlias(alias, alias + "_model_b_4");
        otherModel.ensureCollection(DIMENSION);
        assertThat(qdrant.aliases()).containsEntry(alias, alias + "_model_b_4");
    }

    @Test
    void aRunningModelKeepsItsOwnCollectionAfterAReindexMovesTheAlias() {
        String alias = "docs_" + COLLECTIONS.incrementAndGet();
        QdrantVectorStore modelA = (QdrantVectorStore) open(qdrant.config(alias).withEmbeddingModel("model-a"));
        modelA.ensureCollection(DIMENSION);
        modelA.replaceDocument("a", List.of(untenanted("a", 0, "model a text", new float[] {1, 0, 0, 0})));

        String modelBCollection = alias + "_model_b_4";
        modelA.collections().ensureCollection(modelBCollection, DIMENSION);
        open(qdrant.config(modelBCollection)).replaceDocument("b", List.of(
                untenanted("b", 0, "model b text", new float[] {1, 0, 0, 0})));
        modelA.collections().switchAlias(alias, modelBCollection);

        SearchRequest query = new SearchRequest(new float[] {1, 0, 0, 0}, 5, null, Map.of(), -1);
        assertThat(modelA.search(List.of(query)).get(0)).extracting(hit -> hit.chunk().text())
                .containsExactly("model a text");
        modelA.replaceDocument("a2", List.of(untenanted("a2", 0, "later a", new float[] {0, 1, 0, 0})));
        assertThat(qdrant.points(alias + "_model_a_4")).hasSize(2);
        assertThat(qdrant.points(modelBCollection)).hasSize(1);
    }

    @Test
    void keepsUsingAPlainCollectionThatPredatesTheAliasScheme() {
        VectorStore withModel = open(qdrant.config(collection).withEmbeddingModel("model-a"));

        withModel.ensureCollection(DIMENSION);
        withModel.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0})));

        assertThat(qdrant.points(collection)).hasSize(1);
        assertThat(qdrant.aliases()).doesNotContainKey(collection);
    }

    @Test
    void instancesStartingTogetherAllFindTheCollection() throws Exception {
        String shared = "shared_" + COLLECTIONS.incrementAndGet();
        List<VectorStore> instances = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            instances.add(open(qdrant.config(shared)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> starts = new ArrayList<>();
            for (VectorStore instance : instances) {
                starts.add(pool.submit(() -> {
                    go.await();
                    instance.ensureCollection(DIMENSION);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> start : starts) {
                start.get(30, TimeUnit.SECONDS); // none fails because another one created it first
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(qdrant.collections()).containsOnlyOnce(shared);
        assertThat(qdrant.payloadIndexes(shared)).containsKeys("document_id", "tenant");
    }

    @Test
    void refusesAnEmbeddingModelOfAnotherDimension() {
        VectorStore other = open(qdrant.config(collection));

        assertThatThrownBy(() -> other.ensureCollection(DIMENSION * 2))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining(collection)
                .hasMessageContaining("size 4")
                .hasMessageContaining("8")
                .hasMessageContaining("reindex");
    }

    @Test
    void switchingTheAliasMovesSearchesToTheNewCollection() {
        String alias = "live_" + COLLECTIONS.incrementAndGet();
        QdrantVectorStore admin = (QdrantVectorStore) open(qdrant.config(alias));
        QdrantCollections collections = admin.collections();
        String oldCollection = QdrantCollections.collectionName(alias, "model-a", DIMENSION);
        String newCollection = QdrantCollections.collectionName(alias, "model-b", DIMENSION);
        collections.ensureCollection(oldCollection, DIMENSION);
        collections.ensureCollection(newCollection, DIMENSION);
        open(qdrant.config(oldCollection)).replaceDocument("old", List.of(
                untenanted("old", 0, "old text", new float[] {1, 0, 0, 0})));
        open(qdrant.config(newCollection)).replaceDocument("new", List.of(
                untenanted("new", 0, "new text", new float[] {1, 0, 0, 0})));
        SearchRequest query = new SearchRequest(new float[] {1, 0, 0, 0}, 5, null, Map.of(), -1);

        collections.switchAlias(alias, oldCollection);
        List<String> before = admin.search(List.of(query)).get(0).stream().map(h -> h.chunk().text()).toList();
        collections.switchAlias(alias, newCollection);
        List<String> after = admin.search(List.of(query)).get(0).stream().map(h -> h.chunk().text()).toList();

        assertThat(before).containsExactly("old text");
        assertThat(after).containsExactly("new text");
        assertThat(collections.listAliases()).containsEntry(alias, newCollection);
        assertThat(collections.listCollections()).contains(oldCollection, newCollection);
        assertThat(collections.aliasTarget(alias)).contains(newCollection);
    }

    @Test
    void namesCollectionsAfterTheModel() {
        assertThat(QdrantCollections.collectionName("rag", "sentence-transformers/all-MiniLM-L6-v2", 384))
                .isEqualTo("rag_sentence_transformers_all_minilm_l6_v2_384");
        assertThat(QdrantCollections.collectionName("rag", "BAAI/bge-small-en-v1.5", 384))
                .isEqualTo("rag_baai_bge_small_en_v1_5_384");
        assertThatThrownBy(() -> QdrantCollections.collectionName("rag", "//", 384))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMetadataKeysQdrantWouldReadAsPaths() {
        assertThatThrownBy(() -> store.search(List.of(new SearchRequest(new float[] {1, 0, 0, 0}, 1, null,
                Map.of("a.b", "x"), -1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.b");
    }

    @Test
    void refusesChunkIdsThatAreNotUuids() {
        StoredChunk chunk = new StoredChunk("doc-1#0", "doc-1", 0, 1L, null, "x", null, Map.of(),
                new float[] {1, 0, 0, 0});

        assertThatThrownBy(() -> store.replaceDocument("doc-1", List.of(chunk)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("doc-1#0");
    }

    private VectorStore open(QdrantConfig config) {
        VectorStore opened = QdrantVectorStore.connect(config);
        extraStores.add(opened);
        return opened;
    }
}
