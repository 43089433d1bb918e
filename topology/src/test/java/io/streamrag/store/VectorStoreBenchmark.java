package io.streamrag.store;

import io.streamrag.store.lucene.LuceneVectorStore;
import io.streamrag.store.qdrant.QdrantGrpcDouble;
import io.streamrag.store.qdrant.QdrantVectorStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Write and search speed of a vector store, and the recall of its top-5 against exact search, on random unit
 * vectors (a hard case for HNSW: no clusters). Not a test: run it and read the table.
 *
 * <pre>
 * ./mvnw -B -o -q -pl topology test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.streamrag.store.VectorStoreBenchmark -Dexec.args="lucene 20000 384"
 * </pre>
 * Arguments: store ({@code lucene} or {@code qdrant-double}), number of chunks, dimension.
 */
public final class VectorStoreBenchmark {

    private static final int CHUNKS_PER_DOCUMENT = 5;
    private static final int TENANTS = 4;
    private static final int TOP_K = 5;
    private static final int QUERIES = 300;
    private static final int BATCH = 32;

    private VectorStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "lucene";
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int dimension = args.length > 2 ? Integer.parseInt(args[2]) : 384;
        Random random = new Random(42);
        List<StoredChunk> corpus = corpus(chunks, dimension, random);
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
            queries.add(unitVector(dimension, random));
        }

        Path directory = Files.createTempDirectory("store-benchmark");
        QdrantGrpcDouble qdrant = kind.equals("qdrant-double") ? QdrantGrpcDouble.start() : null;
        try (VectorStore store = qdrant != null
                ? QdrantVectorStore.connect(qdrant.config("benchmark"))
                : LuceneVectorStore.open(directory)) {
            store.ensureCollection(dimension);

            long writeStart = System.nanoTime();
            for (int from = 0; from < corpus.size(); from += CHUNKS_PER_DOCUMENT) {
                List<StoredChunk> document = corpus.subList(from, Math.min(corpus.size(), from + CHUNKS_PER_DOCUMENT));
                store.replaceDocument(document.get(0).documentId(), document);
                if ((from / CHUNKS_PER_DOCUMENT) % 200 == 199) {
                    store.flush();
                }
            }
            store.flush();
            double writeSeconds = seconds(writeStart);

            // warm up the searcher (JIT, first reopen)
            store.search(List.of(request(queries.get(0), 0)));

            long[] latencies = new long[QUERIES];
            double recallSum = 0;
            for (int q = 0; q < QUERIES; q++) {
                String tenant = "tenant-" + (q % TENANTS);
                long start = System.nanoTime();
                List<SearchHit> hits = store.search(List.of(request(queries.get(q), q % TENANTS))).get(0);
                latencies[q] = System.nanoTime() - start;
                recallSum += recall(hits, exactTop(corpus, queries.get(q), tenant));
            }
            Arrays.sort(latencies);

            long batchStart = System.nanoTime();
            int answered = 0;
            for (int from = 0; from < QUERIES; from += BATCH) {
                List<SearchRequest> batch = new ArrayList<>();
                for (int q = from; q < Math.min(QUERIES, from + BATCH); q++) {
                    batch.add(request(queries.get(q), q % TENANTS));
                }
                answered += store.search(batch).size();
            }
            double batchSeconds = seconds(batchStart);

            System.out.printf(Locale.ROOT, "%n| store | chunks | dim | write chunks/s | search p50 ms | p95 ms | p99 ms"
                    + " | batch(%d) queries/s | recall@%d (tenant filter) |%n", BATCH, TOP_K);
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.0f | %.3f |%n",
                    kind, chunks, dimension, chunks / writeSeconds, millis(latencies, 0.50), millis(latencies, 0.95),
                    millis(latencies, 0.99), answered / batchSeconds, recallSum / QUERIES);
        } finally {
            if (qdrant != null) {
                qdrant.close();
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static List<StoredChunk> corpus(int chunks, int dimension, Random random) {
        List<StoredChunk> corpus = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            String documentId = "doc-" + (i / CHUNKS_PER_DOCUMENT);
            int index = i % CHUNKS_PER_DOCUMENT;
            String tenant = "tenant-" + ((i / CHUNKS_PER_DOCUMENT) % TENANTS);
            String id = UUID.nameUUIDFromBytes((documentId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
            corpus.add(new StoredChunk(id, documentId, index, 1L, "Title " + documentId,
                    "Passage " + index + " of " + documentId + " with some text to store and return.", tenant,
                    Map.of("lang", "en"), unitVector(dimension, random)));
        }
        return corpus;
    }

    private static SearchRequest request(float[] vector, int tenant) {
        return new SearchRequest(vector, TOP_K, "tenant-" + tenant, Map.of(), -1);
    }

    private static List<String> exactTop(List<StoredChunk> corpus, float[] query, String tenant) {
        return corpus.stream()
                .filter(chunk -> tenant.equals(chunk.tenant()))
                .sorted(Comparator.comparingDouble((StoredChunk chunk) -> -dot(chunk.vector(), query)))
                .limit(TOP_K)
                .map(StoredChunk::chunkId)
                .toList();
    }

    private static double recall(List<SearchHit> hits, List<String> exact) {
        long found = hits.stream().map(hit -> hit.chunk().chunkId()).filter(exact::contains).count();
        return (double) found / exact.size();
    }

    private static float[] unitVector(int dimension, Random random) {
        float[] vector = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < dimension; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double millis(long[] sortedNanos, double quantile) {
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) (quantile * sortedNanos.length))] / 1e6;
    }
}
