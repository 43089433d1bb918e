package io.streamrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorStore} adapter promises, run against each of them (Lucene, the Qdrant gRPC double, a real
 * Qdrant when Docker is there). Vectors are 4-dimensional so every expected score can be worked out by hand.
 */
public abstract class VectorStoreContractTest {

    protected static final int DIMENSION = 4;
    private static final double SCORE_TOLERANCE = 1e-5;
    private static final double NO_THRESHOLD = -1.0;

    protected VectorStore store;

    /** A new, empty store; the contract calls {@link VectorStore#ensureCollection(int)} itself. */
    protected abstract VectorStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
        store.ensureCollection(DIMENSION);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void findsAnUpsertedChunkWithItsPayload() {
        StoredChunk chunk = new StoredChunk(chunkId("doc-1", 0), "doc-1", 0, 7L, "Title one", "Passage one",
                "acme", Map.of("lang", "en"), new float[] {1, 0, 0, 0});
        store.replaceDocument("doc-1", List.of(chunk));

        List<SearchHit> hits = searchOne(new SearchRequest(new float[] {1, 0, 0, 0}, 5, "acme", Map.of(),
                NO_THRESHOLD));

        assertThat(hits).hasSize(1);
        StoredChunk found = hits.get(0).chunk();
        assertThat(found.chunkId()).isEqualTo(chunk.chunkId());
        assertThat(found.documentId()).isEqualTo("doc-1");
        assertThat(found.chunkIndex()).isZero();
        assertThat(found.version()).isEqualTo(7L);
        assertThat(found.title()).isEqualTo("Title one");
        assertThat(found.text()).isEqualTo("Passage one");
        assertThat(found.tenant()).isEqualTo("acme");
        assertThat(found.metadata()).containsExactlyEntriesOf(Map.of("lang", "en"));
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
    }

    @Test
    void writingTheSameChunkTwiceKeepsOnePointWithTheNewerContent() {
        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "first", new float[] {1, 0, 0, 0})));
        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "second", new float[] {0, 1, 0, 0})));

        assertThat(store.count()).isEqualTo(1);
        List<StoredChunk> chunks = store.chunksOf("doc-1");
        assertThat(chunks).extracting(StoredChunk::text).containsExactly("second");
        assertThat(chunks.get(0).vector()).containsExactly(new float[] {0, 1, 0, 0}, within(1e-6f));
    }

    @Test
    void replacingADocumentWithFewerChunksRemovesTheSurplus() {
        store.replaceDocument("doc-1", List.of(
                untenanted("doc-1", 0, "a", new float[] {1, 0, 0, 0}),
                untenanted("doc-1", 1, "b", new float[] {0, 1, 0, 0}),
                untenanted("doc-1", 2, "c", new float[] {0, 0, 1, 0})));
        store.replaceDocument("doc-2", List.of(untenanted("doc-2", 0, "other", new float[] {0, 0, 0, 1})));

        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "a2", new float[] {1, 0, 0, 0})));

        assertThat(store.chunksOf("doc-1")).extracting(StoredChunk::text).containsExactly("a2");
        assertThat(store.chunksOf("doc-2")).hasSize(1);
        assertThat(store.count()).isEqualTo(2);
        List<SearchHit> hits = searchOne(new SearchRequest(new float[] {0, 0, 1, 0}, 10, null, Map.of(),
                NO_THRESHOLD));
        assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactlyInAnyOrder("a2", "other");
    }

    @Test
    void replacingADocumentWithNoChunksRemovesAllOfThem() {
        store.replaceDocument("doc-1", List.of(
                untenanted("doc-1", 0, "a", new float[] {1, 0, 0, 0}),
                untenanted("doc-1", 1, "b", new float[] {0, 1, 0, 0})));

        store.replaceDocument("doc-1", List.of());

        assertThat(store.chunksOf("doc-1")).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void deleteRemovesEveryChunkOfThatDocumentOnly() {
        store.replaceDocument("doc-1", List.of(
                untenanted("doc-1", 0, "a", new float[] {1, 0, 0, 0}),
                untenanted("doc-1", 1, "b", new float[] {0, 1, 0, 0})));
        store.replaceDocument("doc-2", List.of(untenanted("doc-2", 0, "c", new float[] {1, 1, 0, 0})));

        store.deleteDocument("doc-1");
        store.deleteDocument("never-written");

        assertThat(store.chunksOf("doc-1")).isEmpty();
        assertThat(store.chunksOf("doc-2")).extracting(StoredChunk::text).containsExactly("c");
        assertThat(store.count()).isEqualTo(1);
        List<SearchHit> hits = searchOne(new SearchRequest(new float[] {1, 0, 0, 0}, 10, null, Map.of(),
                NO_THRESHOLD));
        assertThat(hits).extracting(hit -> hit.chunk().documentId()).containsExactly("doc-2");
    }

    @Test
    void aTenantNeverSeesAnotherTenantsChunks() {
        float[] query = {1, 0, 0, 0};
        // Tenant B holds the exact match; tenant A only a weaker one: A must still get only its own.
        store.replaceDocument("a-doc", List.of(tenanted("a-doc", "tenant-a", new float[] {1, 1, 0, 0})));
        store.replaceDocument("b-doc", List.of(tenanted("b-doc", "tenant-b", new float[] {1, 0, 0, 0})));
        store.replaceDocument("open-doc", List.of(tenanted("open-doc", null, new float[] {1, 0, 0, 0})));

        List<List<SearchHit>> results = store.search(List.of(
                new SearchRequest(query, 10, "tenant-a", Map.of(), NO_THRESHOLD),
                new SearchRequest(query, 10, "tenant-b", Map.of(), NO_THRESHOLD),
                new SearchRequest(query, 10, null, Map.of(), NO_THRESHOLD),
                new SearchRequest(query, 10, "tenant-c", Map.of(), NO_THRESHOLD)));

        assertThat(results.get(0)).extracting(hit -> hit.chunk().documentId()).containsExactly("a-doc");
        assertThat(results.get(1)).extracting(hit -> hit.chunk().documentId()).containsExactly("b-doc");
        assertThat(results.get(2)).extracting(hit -> hit.chunk().documentId()).containsExactly("open-doc");
        assertThat(results.get(3)).isEmpty();
    }

    @Test
    void metadataFiltersKeepOnlyMatchingChunks() {
        store.replaceDocument("en-guide", List.of(withMetadata("en-guide", Map.of("lang", "en", "kind", "guide"),
                new float[] {1, 0, 0, 0})));
        store.replaceDocument("en-faq", List.of(withMetadata("en-faq", Map.of("lang", "en", "kind", "faq"),
                new float[] {1, 0.1f, 0, 0})));
        store.replaceDocument("de-guide", List.of(withMetadata("de-guide", Map.of("lang", "de", "kind", "guide"),
                new float[] {1, 0, 0.1f, 0})));
        float[] query = {1, 0, 0, 0};

        List<List<SearchHit>> results = store.search(List.of(
                new SearchRequest(query, 10, null, Map.of("lang", "en"), NO_THRESHOLD),
                new SearchRequest(query, 10, null, Map.of("lang", "en", "kind", "faq"), NO_THRESHOLD),
                new SearchRequest(query, 10, null, Map.of("kind", "guide"), NO_THRESHOLD),
                new SearchRequest(query, 10, null, Map.of("lang", "fr"), NO_THRESHOLD)));

        assertThat(results.get(0)).extracting(hit -> hit.chunk().documentId())
                .containsExactlyInAnyOrder("en-guide", "en-faq");
        assertThat(results.get(1)).extracting(hit -> hit.chunk().documentId()).containsExactly("en-faq");
        assertThat(results.get(2)).extracting(hit -> hit.chunk().documentId())
                .containsExactlyInAnyOrder("en-guide", "de-guide");
        assertThat(results.get(3)).isEmpty();
    }

    @Test
    void scoreThresholdDropsWeakerHits() {
        float[] query = {1, 0, 0, 0};
        store.replaceDocument("close", List.of(tenanted("close", null, new float[] {3, 1, 0, 0})));   // cos 0.949
        store.replaceDocument("middle", List.of(tenanted("middle", null, new float[] {1, 1, 0, 0}))); // cos 0.707
        store.replaceDocument("far", List.of(tenanted("far", null, new float[] {-1, 2, 0, 0})));      // cos -0.447
        store.replaceDocument("opposite", List.of(tenanted("opposite", null, new float[] {-2, 0, 0, 0}))); // cos -1

        List<List<SearchHit>> results = store.search(List.of(
                new SearchRequest(query, 10, null, Map.of(), 0.8),
                new SearchRequest(query, 10, null, Map.of(), 0.5),
                new SearchRequest(query, 10, null, Map.of(), NO_THRESHOLD)));

        assertThat(results.get(0)).extracting(hit -> hit.chunk().documentId()).containsExactly("close");
        assertThat(results.get(1)).extracting(hit -> hit.chunk().documentId()).containsExactly("close", "middle");
        assertThat(results.get(2)).as("a threshold of -1 filters nothing").extracting(hit -> hit.chunk().documentId())
                .containsExactly("close", "middle", "far", "opposite");
        assertThat(results.get(2).get(2).score()).isCloseTo(-1 / Math.sqrt(5), within(SCORE_TOLERANCE));
        assertThat(results.get(2).get(3).score()).isCloseTo(-1.0, within(SCORE_TOLERANCE));
    }

    @Test
    void returnsTheTopKBestFirst() {
        float[] query = {1, 0, 0, 0};
        float[][] vectors = {
                {0, 1, 0, 0},     // cos 0
                {1, 1, 0, 0},     // cos 0.707
                {1, 0, 0, 0},     // cos 1
                {-1, 0, 0, 0},    // cos -1
                {2, 1, 0, 0},     // cos 0.894
        };
        for (int i = 0; i < vectors.length; i++) {
            store.replaceDocument("doc-" + i, List.of(tenanted("doc-" + i, null, vectors[i])));
        }

        List<SearchHit> hits = searchOne(new SearchRequest(query, 3, null, Map.of(), NO_THRESHOLD));

        assertThat(hits).extracting(hit -> hit.chunk().documentId()).containsExactly("doc-2", "doc-4", "doc-1");
        assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(hits.get(0).chunk().vector()).as("hits carry no vector").isNull();
    }

    @Test
    void scoresAreTheCosineSimilarityOfTheVectors() {
        float[] stored = {1, 2, 3, 4};
        float[] query = {4, 3, 2, -1};
        store.replaceDocument("doc", List.of(tenanted("doc", null, stored)));

        List<SearchHit> hits = searchOne(new SearchRequest(query, 1, null, Map.of(), NO_THRESHOLD));

        // (4 + 6 + 6 - 4) / (sqrt(30) * sqrt(30)) = 12 / 30
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).score()).isCloseTo(cosine(stored, query), within(SCORE_TOLERANCE));
        assertThat(hits.get(0).score()).isCloseTo(0.4, within(SCORE_TOLERANCE));
    }

    @Test
    void countsEveryChunk() {
        assertThat(store.count()).isZero();
        store.replaceDocument("doc-1", List.of(
                untenanted("doc-1", 0, "a", new float[] {1, 0, 0, 0}),
                untenanted("doc-1", 1, "b", new float[] {0, 1, 0, 0})));
        store.replaceDocument("doc-2", List.of(tenanted("doc-2", "t", new float[] {0, 0, 1, 0})));

        assertThat(store.count()).isEqualTo(3);
    }

    @Test
    void chunksOfReturnsTheDocumentsChunksInIndexOrderWithVectors() {
        List<StoredChunk> written = new ArrayList<>();
        float[][] unitVectors = {{0, 0, 0, 1}, {0, 0, 1, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0.6f, 0.8f, 0, 0}};
        for (int index : new int[] {3, 0, 4, 1, 2}) {
            written.add(untenanted("doc-1", index, "chunk " + index, unitVectors[index]));
        }
        store.replaceDocument("doc-1", written);
        store.replaceDocument("doc-2", List.of(untenanted("doc-2", 0, "other", new float[] {1, 0, 0, 0})));

        List<StoredChunk> chunks = store.chunksOf("doc-1");

        assertThat(chunks).extracting(StoredChunk::chunkIndex).containsExactly(0, 1, 2, 3, 4);
        for (StoredChunk chunk : chunks) {
            assertThat(chunk.text()).isEqualTo("chunk " + chunk.chunkIndex());
            assertThat(chunk.chunkId()).isEqualTo(chunkId("doc-1", chunk.chunkIndex()));
            assertThat(chunk.vector()).containsExactly(unitVectors[chunk.chunkIndex()], within(1e-6f));
        }
        assertThat(store.chunksOf("missing")).isEmpty();
    }

    @Test
    void batchSearchAnswersEachRequestInOrder() {
        store.replaceDocument("x", List.of(tenanted("x", null, new float[] {1, 0, 0, 0})));
        store.replaceDocument("y", List.of(tenanted("y", null, new float[] {0, 1, 0, 0})));
        store.replaceDocument("z", List.of(tenanted("z", null, new float[] {0, 0, 1, 0})));

        List<List<SearchHit>> results = store.search(List.of(
                new SearchRequest(new float[] {0, 0, 1, 0}, 1, null, Map.of(), NO_THRESHOLD),
                new SearchRequest(new float[] {1, 0, 0, 0}, 1, null, Map.of(), NO_THRESHOLD),
                new SearchRequest(new float[] {0, 1, 0.1f, 0}, 2, null, Map.of(), NO_THRESHOLD)));

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).extracting(hit -> hit.chunk().documentId()).containsExactly("z");
        assertThat(results.get(1)).extracting(hit -> hit.chunk().documentId()).containsExactly("x");
        assertThat(results.get(2)).extracting(hit -> hit.chunk().documentId()).containsExactly("y", "z");
        assertThat(store.search(List.of())).isEmpty();
    }

    @Test
    void isReachableWhileOpen() {
        assertThat(store.isReachable()).isTrue();
    }

    // ---- hybrid retrieval: the keyword leg, fusion and filters inside both legs ----

    private static RetrievalPlan plan(RetrievalMode mode) {
        return new RetrievalPlan(mode, 10, 10, 2, 1.0, 1.0);
    }

    private static SearchRequest query(float[] vector, String text, int topK, String tenant,
                                       Map<String, String> filters, double threshold, RetrievalMode mode) {
        return new SearchRequest(vector, text, topK, tenant, filters, threshold, plan(mode));
    }

    private static StoredChunk passage(String documentId, String tenant, String title, String text,
                                       Map<String, String> metadata, float[] vector) {
        return new StoredChunk(chunkId(documentId, 0), documentId, 0, 1L, title, text, tenant, metadata, vector);
    }

    @Test
    void keywordLegFindsAPassageTheDenseLegRanksLastAndGivesItsCosine() {
        store.replaceDocument("zebra", List.of(passage("zebra", null, "Wildlife",
                "The great zebra migration crosses the Mara river.", Map.of(), new float[] {0, 0, 0, 1})));
        store.replaceDocument("near", List.of(passage("near", null, "Cooking",
                "Bread rises in a warm kitchen.", Map.of(), new float[] {1, 0, 0, 0})));
        store.replaceDocument("nearer", List.of(passage("nearer", null, "Gardening",
                "Tomatoes need sun and water.", Map.of(), new float[] {1, 1, 0, 0})));
        float[] question = {1, 0, 0, 0};
        String text = "When do the zebras migrate?";

        assertThat(searchOne(query(question, text, 1, null, Map.of(), NO_THRESHOLD, RetrievalMode.DENSE)))
                .extracting(hit -> hit.chunk().documentId()).containsExactly("near");
        List<SearchHit> keyword = searchOne(query(question, text, 3, null, Map.of(), NO_THRESHOLD,
                RetrievalMode.KEYWORD));
        assertThat(keyword).extracting(hit -> hit.chunk().documentId()).containsExactly("zebra");
        assertThat(keyword.get(0).score()).as("cosine of a keyword-only hit").isCloseTo(0.0, within(SCORE_TOLERANCE));
        assertThat(keyword.get(0).rankScore()).isPositive();

        List<SearchHit> hybrid = searchOne(query(question, text, 3, null, Map.of(), NO_THRESHOLD,
                RetrievalMode.HYBRID));
        // zebra: keyword #1 (1/2); near: dense #1 (1/2); nearer: dense #2 (1/3). Ties keep the dense leg first.
        assertThat(hybrid).extracting(hit -> hit.chunk().documentId())
                .containsExactlyInAnyOrder("near", "zebra", "nearer");
        assertThat(hybrid.get(2).chunk().documentId()).isEqualTo("nearer");
        assertThat(hybrid.get(2).rankScore()).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(hybrid.get(2).score()).isCloseTo(cosine(question, new float[] {1, 1, 0, 0}),
                within(SCORE_TOLERANCE));
    }

    @Test
    void hybridOrderIsReciprocalRankFusionOfBothLegs() {
        // dense order: d1, d2, d3; keyword order: d3 (both words, twice), d2 (one word); d1 has neither
        store.replaceDocument("d1", List.of(passage("d1", null, "One", "Nothing relevant at all.", Map.of(),
                new float[] {1, 0, 0, 0})));
        store.replaceDocument("d2", List.of(passage("d2", null, "Two", "A comet passed by.", Map.of(),
                new float[] {0.8f, 0.6f, 0, 0})));
        store.replaceDocument("d3", List.of(passage("d3", null, "Three",
                "Halley comet orbit: the Halley comet orbit is long.", Map.of(), new float[] {0.6f, 0.8f, 0, 0})));

        List<SearchHit> hits = searchOne(query(new float[] {1, 0, 0, 0}, "Halley comet orbit", 3, null, Map.of(),
                NO_THRESHOLD, RetrievalMode.HYBRID));

        // k = 2: d3 = 1/(2+2) + 1/(2+0) = 0.75, d2 = 1/3 + 1/3, d1 = 1/2
        assertThat(hits).extracting(hit -> hit.chunk().documentId()).containsExactly("d3", "d2", "d1");
        assertThat(hits.stream().mapToDouble(SearchHit::rankScore).toArray())
                .containsExactly(new double[] {0.75, 2.0 / 3, 0.5}, within(1e-6));
        assertThat(hits.stream().mapToDouble(SearchHit::score).toArray())
                .containsExactly(new double[] {0.6, 0.8, 1.0}, within(1e-5));
    }

    @Test
    void keywordLegWeightShiftsTheFusion() {
        store.replaceDocument("dense", List.of(passage("dense", null, "A", "Unrelated words.", Map.of(),
                new float[] {1, 0, 0, 0})));
        store.replaceDocument("keyword", List.of(passage("keyword", null, "B", "Photosynthesis in leaves.",
                Map.of(), new float[] {0, 1, 0, 0})));
        float[] question = {1, 0, 0, 0};

        // one candidate per leg: each leg's first passage scores w / (1 + w (k - 1)) = 1/(1/w + 1) at k = 2
        for (double weight : new double[] {0.5, 2.0}) {
            RetrievalPlan plan = new RetrievalPlan(RetrievalMode.HYBRID, 1, 1, 2, 1.0, weight);
            List<SearchHit> hits = searchOne(new SearchRequest(question, "photosynthesis", 1, null, Map.of(),
                    NO_THRESHOLD, plan));
            assertThat(hits).as("keyword weight %s", weight).extracting(hit -> hit.chunk().documentId())
                    .containsExactly(weight < 1 ? "dense" : "keyword");
            assertThat(hits.get(0).rankScore()).isCloseTo(weight < 1 ? 0.5 : 2.0 / 3, within(1e-6));
        }
    }

    @Test
    void tenantFilterHoldsInsideTheKeywordLeg() {
        store.replaceDocument("acme-report", List.of(passage("acme-report", "acme", "Acme",
                "Quarterly revenue grew.", Map.of(), new float[] {1, 0, 0, 0})));
        store.replaceDocument("globex-plan", List.of(passage("globex-plan", "globex", "Globex",
                "The secret merger plan with Initech.", Map.of(), new float[] {0, 1, 0, 0})));
        store.replaceDocument("public-note", List.of(passage("public-note", null, "Note",
                "A secret merger plan was rumoured.", Map.of(), new float[] {0, 1, 0, 0})));
        float[] question = {0, 1, 0, 0};
        String text = "What is the secret merger plan?";

        // the keyword leg alone would rank globex's passage first: it matches every word
        assertThat(searchOne(query(question, text, 3, "globex", Map.of(), NO_THRESHOLD, RetrievalMode.KEYWORD)))
                .extracting(hit -> hit.chunk().documentId()).containsExactly("globex-plan");
        for (RetrievalMode mode : RetrievalMode.values()) {
            assertThat(searchOne(query(question, text, 3, "acme", Map.of(), NO_THRESHOLD, mode)))
                    .as("acme's question in %s mode", mode)
                    .allSatisfy(hit -> assertThat(hit.chunk().tenant()).isEqualTo("acme"));
            assertThat(searchOne(query(question, text, 3, null, Map.of(), NO_THRESHOLD, mode)))
                    .as("an untenanted question in %s mode", mode)
                    .extracting(hit -> hit.chunk().documentId()).containsOnly("public-note");
        }
        assertThat(searchOne(query(question, text, 3, "acme", Map.of(), NO_THRESHOLD, RetrievalMode.KEYWORD)))
                .as("no acme passage has the words").isEmpty();
        assertThat(searchOne(query(question, text, 3, "acme", Map.of(), NO_THRESHOLD, RetrievalMode.HYBRID)))
                .extracting(hit -> hit.chunk().documentId()).containsExactly("acme-report");
    }

    @Test
    void metadataFiltersHoldInsideTheKeywordLeg() {
        store.replaceDocument("en", List.of(passage("en", null, "Tides", "The moon drives the tides.",
                Map.of("lang", "en"), new float[] {1, 0, 0, 0})));
        store.replaceDocument("draft", List.of(passage("draft", null, "Tides", "Moon tides, moon tides, tides.",
                Map.of("lang", "draft"), new float[] {1, 0, 0, 0})));

        for (RetrievalMode mode : RetrievalMode.values()) {
            assertThat(searchOne(query(new float[] {1, 0, 0, 0}, "moon tides", 5, null, Map.of("lang", "en"),
                    NO_THRESHOLD, mode)))
                    .as("%s mode", mode).extracting(hit -> hit.chunk().documentId()).containsExactly("en");
        }
    }

    @Test
    void scoreThresholdDropsKeywordHitsByTheirCosineAndStillFillsTheTopK() {
        // three strong keyword matches pointing away from the question, one weaker match pointing at it
        for (int i = 0; i < 3; i++) {
            store.replaceDocument("away-" + i, List.of(passage("away-" + i, null, "Volcano",
                    "Volcano eruption: volcano eruption " + i + ".", Map.of(), new float[] {-1, 0.1f * i, 0, 0})));
        }
        store.replaceDocument("toward", List.of(passage("toward", null, "Geology",
                "An eruption, seen from far.", Map.of(), new float[] {1, 0, 0, 0})));

        for (RetrievalMode mode : List.of(RetrievalMode.KEYWORD, RetrievalMode.HYBRID)) {
            List<SearchHit> hits = searchOne(query(new float[] {1, 0, 0, 0}, "volcano eruption", 1, null, Map.of(),
                    0.0, mode));
            assertThat(hits).as("%s mode", mode).extracting(hit -> hit.chunk().documentId())
                    .containsExactly("toward");
            assertThat(hits.get(0).score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
        }
    }

    @Test
    void keywordLegMatchesTheTitleAndStemsAndIgnoresQuestionWords() {
        store.replaceDocument("acme", List.of(passage("acme", null, "Acme Corporation",
                "It was founded in 1911 and builds rockets.", Map.of(), new float[] {1, 0, 0, 0})));
        store.replaceDocument("other", List.of(passage("other", null, "Other",
                "What did they do? When and how?", Map.of(), new float[] {0, 1, 0, 0})));

        assertThat(searchOne(query(new float[] {0, 1, 0, 0}, "When was Acme founded?", 5, null, Map.of(),
                NO_THRESHOLD, RetrievalMode.KEYWORD)))
                .extracting(hit -> hit.chunk().documentId()).containsExactly("acme");
        assertThat(searchOne(query(new float[] {0, 1, 0, 0}, "rocket building", 5, null, Map.of(),
                NO_THRESHOLD, RetrievalMode.KEYWORD)))
                .as("stemmed: rockets/rocket, builds/building").extracting(hit -> hit.chunk().documentId())
                .containsExactly("acme");
        assertThat(searchOne(query(new float[] {0, 1, 0, 0}, "What did they do?", 5, null, Map.of(),
                NO_THRESHOLD, RetrievalMode.KEYWORD)))
                .as("a question of stop words only has no keywords").isEmpty();
    }

    @Test
    void aRewrittenDocumentIsSearchableByItsNewWordsOnly() {
        store.replaceDocument("doc", List.of(passage("doc", null, "Doc", "Original wording about glaciers.",
                Map.of(), new float[] {1, 0, 0, 0})));
        store.replaceDocument("doc", List.of(passage("doc", null, "Doc", "Revised wording about deserts.",
                Map.of(), new float[] {1, 0, 0, 0})));

        assertThat(searchOne(query(new float[] {1, 0, 0, 0}, "glaciers", 5, null, Map.of(), NO_THRESHOLD,
                RetrievalMode.KEYWORD))).isEmpty();
        assertThat(searchOne(query(new float[] {1, 0, 0, 0}, "deserts", 5, null, Map.of(), NO_THRESHOLD,
                RetrievalMode.KEYWORD))).extracting(hit -> hit.chunk().documentId()).containsExactly("doc");
        store.deleteDocument("doc");
        assertThat(searchOne(query(new float[] {1, 0, 0, 0}, "deserts", 5, null, Map.of(), NO_THRESHOLD,
                RetrievalMode.HYBRID))).isEmpty();
    }

    @Test
    void aChunksEmbeddingFingerprintIsStoredAndReadBack() {
        store.replaceDocument("doc-1", List.of(fingerprinted("doc-1", 0, "fp-a", new float[] {1, 0, 0, 0})));

        assertThat(store.chunksOf("doc-1")).extracting(StoredChunk::embeddingFingerprint).containsExactly("fp-a");
    }

    @Test
    void embeddingsOfReadsTheFingerprintedVectorsOfTheGivenDocumentsOnly() {
        store.replaceDocument("doc-1", List.of(
                fingerprinted("doc-1", 0, "fp-a", new float[] {1, 0, 0, 0}),
                fingerprinted("doc-1", 1, "fp-b", new float[] {0, 1, 0, 0})));
        store.replaceDocument("doc-2", List.of(fingerprinted("doc-2", 0, "fp-c", new float[] {0, 0, 1, 0})));
        store.replaceDocument("doc-3", List.of(fingerprinted("doc-3", 0, "fp-d", new float[] {0, 0, 0, 1})));
        // written before fingerprints existed: nothing to reuse
        store.replaceDocument("doc-4", List.of(untenanted("doc-4", 0, "old", new float[] {1, 1, 0, 0})));

        List<StoredEmbedding> embeddings = store.embeddingsOf(List.of("doc-1", "doc-2", "doc-4", "doc-missing"));

        assertThat(embeddings).extracting(StoredEmbedding::fingerprint)
                .containsExactlyInAnyOrder("fp-a", "fp-b", "fp-c");
        for (StoredEmbedding embedding : embeddings) {
            float[] expected = switch (embedding.fingerprint()) {
                case "fp-a" -> new float[] {1, 0, 0, 0};
                case "fp-b" -> new float[] {0, 1, 0, 0};
                default -> new float[] {0, 0, 1, 0};
            };
            assertThat(embedding.documentId()).isEqualTo(embedding.fingerprint().equals("fp-c") ? "doc-2" : "doc-1");
            assertThat(embedding.vector()).containsExactly(expected, within(1e-6f));
        }
        assertThat(store.embeddingsOf(List.of())).isEmpty();
    }

    @Test
    void embeddingsOfReadsEveryChunkOfALongDocument() {
        List<StoredChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            chunks.add(fingerprinted("doc-long", i, "fp-" + i, new float[] {1, i, 0, 0}));
        }
        store.replaceDocument("doc-long", chunks);

        assertThat(store.embeddingsOf(List.of("doc-long"))).extracting(StoredEmbedding::fingerprint)
                .hasSize(300).doesNotHaveDuplicates();
    }

    // ---- helpers ----

    protected final List<SearchHit> searchOne(SearchRequest request) {
        List<List<SearchHit>> results = store.search(List.of(request));
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    /** A deterministic UUID per (document, index), as the ingest topology derives them. */
    protected static String chunkId(String documentId, int index) {
        return UUID.nameUUIDFromBytes((documentId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    protected static StoredChunk untenanted(String documentId, int index, String text, float[] vector) {
        return new StoredChunk(chunkId(documentId, index), documentId, index, 1L, "Title of " + documentId, text,
                null, Map.of(), vector);
    }

    protected static StoredChunk fingerprinted(String documentId, int index, String fingerprint, float[] vector) {
        return new StoredChunk(chunkId(documentId, index), documentId, index, 1L, "Title of " + documentId,
                "text " + index + " of " + documentId, null, Map.of(), vector, fingerprint);
    }

    protected static StoredChunk tenanted(String documentId, String tenant, float[] vector) {
        return new StoredChunk(chunkId(documentId, 0), documentId, 0, 1L, "Title of " + documentId,
                "text of " + documentId, tenant, Map.of(), vector);
    }

    private static StoredChunk withMetadata(String documentId, Map<String, String> metadata, float[] vector) {
        return new StoredChunk(chunkId(documentId, 0), documentId, 0, 1L, null, "text of " + documentId, null,
                metadata, vector);
    }

    protected static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }
}
