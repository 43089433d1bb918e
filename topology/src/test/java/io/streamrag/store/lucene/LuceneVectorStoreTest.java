package io.streamrag.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.VectorStoreContractTest;
import io.streamrag.store.VectorStoreException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorStoreTest extends VectorStoreContractTest {

    @TempDir
    Path indexDirectory;

    @Override
    protected VectorStore newStore() {
        return LuceneVectorStore.open(indexDirectory);
    }

    @Test
    void flushedChunksSurviveClosingAndReopeningTheDirectory() {
        store.replaceDocument("doc-1", List.of(
                untenanted("doc-1", 0, "kept", new float[] {1, 0, 0, 0}),
                untenanted("doc-1", 1, "kept too", new float[] {0, 1, 0, 0})));
        store.replaceDocument("doc-2", List.of(tenanted("doc-2", "acme", new float[] {0, 0, 1, 0})));
        store.deleteDocument("doc-2");
        store.flush();
        store.close();

        store = LuceneVectorStore.open(indexDirectory);
        store.ensureCollection(DIMENSION);

        assertThat(store.count()).isEqualTo(2);
        assertThat(store.chunksOf("doc-1")).extracting(StoredChunk::text).containsExactly("kept", "kept too");
        assertThat(store.chunksOf("doc-2")).isEmpty();
        List<SearchHit> hits = searchOne(new SearchRequest(new float[] {0, 1, 0, 0}, 1, null, Map.of(), -1));
        assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactly("kept too");
    }

    @Test
    void whatAFlushCommittedIsOnDiskBeforeCloseAndAFlushWithoutWritesCommitsNothing() throws Exception {
        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "durable", new float[] {1, 0, 0, 0})));
        store.flush();
        long generation = SegmentInfos.readLatestCommit(FSDirectory.open(indexDirectory)).getGeneration();
        store.flush();
        store.replaceDocument("doc-2", List.of(untenanted("doc-2", 0, "visible, not yet durable",
                new float[] {0, 1, 0, 0})));

        // searches see the unflushed write at once (near-real-time reader) ...
        assertThat(store.count()).isEqualTo(2);
        // ... while a process starting on the directory after a crash now would find the flushed write only
        try (DirectoryReader onDisk = DirectoryReader.open(FSDirectory.open(indexDirectory))) {
            assertThat(onDisk.numDocs()).isEqualTo(1);
        }
        assertThat(SegmentInfos.readLatestCommit(FSDirectory.open(indexDirectory)).getGeneration())
                .as("the second flush had nothing to commit").isEqualTo(generation);
    }

    @Test
    void int8VectorFormatQuantisesTheGraphAndStillFindsTheNearest(@TempDir Path int8Directory) throws Exception {
        try (LuceneVectorStore int8 = LuceneVectorStore.open(int8Directory,
                new LuceneOptions(LuceneVectorStore.DEFAULT_SEARCH_CANDIDATES, LuceneOptions.VectorFormat.INT8,
                        Duration.ZERO))) {
            int8.ensureCollection(DIMENSION);
            int8.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "x", new float[] {1, 0, 0, 0}),
                    untenanted("doc-1", 1, "y", new float[] {0, 1, 0, 0}),
                    untenanted("doc-1", 2, "xy", new float[] {0.7f, 0.7f, 0, 0})));
            int8.flush();

            List<SearchHit> hits = int8.search(List.of(new SearchRequest(new float[] {0.9f, 0.1f, 0, 0}, 1, null,
                    Map.of(), -1))).get(0);
            assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactly("x");
            assertThat(hits.get(0).score()).as("exact cosine from the stored vector")
                    .isCloseTo(0.9 / Math.sqrt(0.82), org.assertj.core.api.Assertions.within(1e-6));
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(int8Directory))) {
            String format = reader.leaves().get(0).reader().getFieldInfos().fieldInfo("vector")
                    .getAttribute("PerFieldKnnVectorsFormat.format");
            assertThat(format).isEqualTo("Lucene99HnswScalarQuantizedVectorsFormat");
        }
    }

    @Test
    void writesThatRestAreMergedDownToAtMostTwoSegmentsAndStaySearchable(@TempDir Path restDirectory)
            throws Exception {
        try (LuceneVectorStore resting = LuceneVectorStore.open(restDirectory,
                new LuceneOptions(LuceneVectorStore.DEFAULT_SEARCH_CANDIDATES, LuceneOptions.VectorFormat.FLOAT32,
                        Duration.ofSeconds(2)))) {
            resting.ensureCollection(DIMENSION);
            // each commit leaves a small segment; the tiered policy lets up to 4 be
            for (int d = 0; d < 4; d++) {
                resting.replaceDocument("doc-" + d, List.of(untenanted("doc-" + d, 0, "text " + d,
                        new float[] {1, d, 0, 0})));
                resting.flush();
            }
            resting.deleteDocument("doc-2");
            // doc-2's segment is gone with it (nothing left in it); three small ones stay
            assertThat(resting.segmentCount()).as("segments before the rest").isEqualTo(3);
            assertThat(resting.restMerges()).isZero();

            awaitRestMerges(resting, 1);

            assertThat(resting.segmentCount()).isLessThanOrEqualTo(2);
            assertThat(resting.count()).isEqualTo(3);
            assertThat(resting.search(List.of(new SearchRequest(new float[] {1, 3, 0, 0}, 1, null, Map.of(), -1)))
                    .get(0)).extracting(hit -> hit.chunk().documentId()).containsExactly("doc-3");

            // a later write rests again and is merged again; without writes nothing more is merged
            resting.replaceDocument("doc-9", List.of(untenanted("doc-9", 0, "late", new float[] {0, 0, 1, 0})));
            resting.flush();
            awaitRestMerges(resting, 2);
            Thread.sleep(3_500); // longer than the rest and a check period
            assertThat(resting.restMerges()).isEqualTo(2);
            assertThat(resting.count()).isEqualTo(4);
        }
        try (DirectoryReader onDisk = DirectoryReader.open(FSDirectory.open(restDirectory))) {
            assertThat(onDisk.numDocs()).as("the merge was committed with everything written").isEqualTo(4);
            assertThat(onDisk.leaves()).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void mergesAtRestAreOffByDefaultForStoresOpenedWithoutOptions() throws Exception {
        for (int d = 0; d < 4; d++) {
            store.replaceDocument("doc-" + d, List.of(untenanted("doc-" + d, 0, "t", new float[] {1, d, 0, 0})));
            store.flush();
        }
        Thread.sleep(500);
        assertThat(((LuceneVectorStore) store).restMerges()).isZero();
        assertThat(((LuceneVectorStore) store).segmentCount()).isEqualTo(4);
    }

    private static void awaitRestMerges(LuceneVectorStore store, long merges) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (store.restMerges() < merges && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.restMerges()).as("merges at rest").isGreaterThanOrEqualTo(merges);
    }

    @Test
    void refusesToOpenAnIndexOfAnotherDimension() {
        store.replaceDocument("doc-1", List.of(untenanted("doc-1", 0, "four", new float[] {1, 0, 0, 0})));
        store.close();

        store = LuceneVectorStore.open(indexDirectory);

        assertThatThrownBy(() -> store.ensureCollection(8))
                .isInstanceOf(VectorStoreException.class)
                .hasMessageContaining("dimension 4")
                .hasMessageContaining("8");
    }

    @Test
    void rejectsAVectorOfTheWrongDimension() {
        assertThatThrownBy(() -> store.replaceDocument("doc-1",
                List.of(untenanted("doc-1", 0, "three", new float[] {1, 0, 0}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("doc-1")
                .hasMessageContaining("dimension 3");
    }

    @Test
    void searchesFromManyThreadsWhileOneThreadWrites() throws Exception {
        int documents = 40;
        for (int d = 0; d < documents; d++) {
            store.replaceDocument("doc-" + d, twoChunks("doc-" + d, 0));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(4);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<?> writer = pool.submit(() -> {
                started.countDown();
                for (int round = 1; round <= 30; round++) {
                    for (int d = 0; d < documents; d += 3) {
                        store.replaceDocument("doc-" + d, twoChunks("doc-" + d, round));
                    }
                    if (round % 10 == 0) {
                        store.flush();
                    }
                }
                writing.set(false);
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                readers.add(pool.submit(() -> {
                    started.countDown();
                    int searches = 0;
                    while (writing.get() || searches < 20) {
                        List<SearchHit> hits = store.search(List.of(new SearchRequest(
                                new float[] {1, 0.5f, 0, 0}, 5, "tenant", Map.of(), -1))).get(0);
                        if (hits.size() != 5) {
                            violations.add("expected 5 hits, got " + hits.size());
                        }
                        for (SearchHit hit : hits) {
                            if (!"tenant".equals(hit.chunk().tenant())) {
                                violations.add("foreign tenant " + hit.chunk().tenant());
                            }
                        }
                        searches++;
                    }
                    return searches;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(20);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(violations).isEmpty();
        assertThat(store.count()).isEqualTo(2L * documents);
        assertThat(store.chunksOf("doc-0")).extracting(StoredChunk::version).containsOnly(30L);
    }

    @Test
    void vectorsOfAnyLengthAreRankedAndScoredByTheirCosine() {
        // long vectors: a dot product that ignored length would rank the long, less aligned one first
        store.replaceDocument("near", List.of(untenanted("near", 0, "aligned", new float[] {0.3f, 0.1f, 0, 0})));
        store.replaceDocument("far", List.of(untenanted("far", 0, "long", new float[] {9, 9, 9, 0})));

        List<SearchHit> hits = searchOne(new SearchRequest(new float[] {2, 0.5f, 0, 0}, 2, null, Map.of(), -1));

        assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactly("aligned", "long");
        double expected = (0.3 * 2 + 0.1 * 0.5) / (Math.hypot(0.3, 0.1) * Math.hypot(2, 0.5));
        assertThat(hits.get(0).score()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(store.chunksOf("far").get(0).vector()).as("the stored vector is the one given")
                .containsExactly(9, 9, 9, 0);
    }

    @Test
    void anIndexBuiltWithCosineKeepsItsSimilarityAndStaysWritable(@TempDir Path cosineDirectory) throws Exception {
        try (FSDirectory directory = FSDirectory.open(cosineDirectory);
             org.apache.lucene.index.IndexWriter writer = new org.apache.lucene.index.IndexWriter(directory,
                     new org.apache.lucene.index.IndexWriterConfig())) {
            writer.addDocument(ChunkDocuments.toDocument(untenanted("old", 0, "from before", new float[] {0, 0, 3, 0}),
                    org.apache.lucene.index.VectorSimilarityFunction.COSINE));
        }
        try (LuceneVectorStore reopened = LuceneVectorStore.open(cosineDirectory)) {
            reopened.ensureCollection(DIMENSION);
            reopened.replaceDocument("new", List.of(untenanted("new", 0, "written now", new float[] {0, 2, 0, 0})));
            reopened.flush();

            List<SearchHit> hits = reopened.search(List.of(
                    new SearchRequest(new float[] {0, 0, 1, 0}, 2, null, Map.of(), -1))).get(0);

            assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactly("from before", "written now");
            assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
        try (FSDirectory directory = FSDirectory.open(cosineDirectory);
             DirectoryReader reader = DirectoryReader.open(directory)) {
            assertThat(reader.leaves()).allSatisfy(leaf -> assertThat(leaf.reader().getFieldInfos()
                    .fieldInfo(ChunkDocuments.VECTOR).getVectorSimilarityFunction())
                    .isEqualTo(org.apache.lucene.index.VectorSimilarityFunction.COSINE));
        }
    }

    @Test
    void aNewIndexComparesUnitVectorsByDotProduct() throws Exception {
        store.replaceDocument("doc", List.of(untenanted("doc", 0, "x", new float[] {0, 5, 0, 0})));
        store.flush();
        try (FSDirectory directory = FSDirectory.open(indexDirectory);
             DirectoryReader reader = DirectoryReader.open(directory)) {
            var leaf = reader.leaves().get(0).reader();
            assertThat(leaf.getFieldInfos().fieldInfo(ChunkDocuments.VECTOR).getVectorSimilarityFunction())
                    .isEqualTo(org.apache.lucene.index.VectorSimilarityFunction.DOT_PRODUCT);
            var vectors = leaf.getFloatVectorValues(ChunkDocuments.VECTOR);
            vectors.nextDoc();
            assertThat(vectors.vectorValue()).as("the graph holds the unit vector").containsExactly(0, 1, 0, 0);
        }
    }

    @Test
    void luceneCosineScoreIsConvertedBackToCosine() {
        assertThat(LuceneVectorStore.cosineOf(1.0f)).isEqualTo(1.0);
        assertThat(LuceneVectorStore.cosineOf(0.5f)).isEqualTo(0.0);
        assertThat(LuceneVectorStore.cosineOf(0.0f)).isEqualTo(-1.0);
    }

    private static List<StoredChunk> twoChunks(String documentId, long version) {
        return List.of(
                new StoredChunk(chunkId(documentId, 0), documentId, 0, version, "t", "first", "tenant", Map.of(),
                        new float[] {1, version % 2, 0, 0}),
                new StoredChunk(chunkId(documentId, 1), documentId, 1, version, "t", "second", "tenant", Map.of(),
                        new float[] {0, 1, 0.1f * (version % 3), 0}));
    }
}
