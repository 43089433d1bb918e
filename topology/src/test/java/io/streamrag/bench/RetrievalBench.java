package io.streamrag.bench;

import io.streamrag.app.config.AppConfig;
import io.streamrag.store.KeywordText;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneOptions;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Retrieval latency of the embedded store as the app keeps it: synthetic chunks (384-d unit vectors, passages of
 * Zipf-distributed words from a 30k-word vocabulary, titles) written through the store's own API in batches, each
 * batch followed by the store's flush (the Lucene commit the ingest makes when Kafka commits), from {@code writers}
 * threads, the store opened with the app's defaults. Then it is queried from one thread twice: "as written" (reopened
 * with merges at rest off: the segments the tiered policy left when the writes stopped, as while ingest runs) and
 * "at rest" (reopened with merges at rest after 1 s instead of the default minute, queried once the store's merge at
 * rest is done: the index as the store keeps it between bursts of writes; {@code -DskipRest=true} skips it). Each
 * prints segment count, p50/p99 per retrieval mode at
 * top-5 and top-10, the dense leg's recall@10 against exact search, and one Markdown row. Not a test.
 *
 * <p>Vectors: {@code latent32} (default) draws each vector as a point of a 32-dimensional Gaussian mapped into 384
 * dimensions plus isotropic noise (8 % of its energy), queries likewise: neighbours that mean something, as in
 * sentence embeddings (whose intrinsic dimension is a few dozen). {@code random} draws uniform unit vectors,
 * queries near a stored one (0.6 of it, 0.8 noise): all but the first neighbour are near-ties, the worst case for
 * any graph index.
 *
 * <pre>
 * CP=... (docs/benchmarks.md, "Retrieval latency at scale")
 * java -Xmx6g -cp "$CP" io.streamrag.bench.RetrievalBench CHUNKS [float32|int8] [latent32|random] \
 *     [docs-per-flush] [writers] [DIR]
 * </pre>
 * docs-per-flush: documents (4 chunks each) written between two flushes (default 32, the ingest's batch);
 * {@code -Dcandidates=N}: the search beam instead of {@code store.embedded.search.candidates}. DIR: build
 * the index there and keep it; when DIR already holds one, only query it (the vectors are drawn again from the same
 * seeds), so one build can be searched from several JVMs.
 */
public final class RetrievalBench {

    private static final int DIMENSION = 384;
    private static final int LATENT = 32;
    private static final float LATENT_NOISE = 0.3f;
    private static final int VOCABULARY = 30_000;
    private static final int WORDS_PER_PASSAGE = 90;
    private static final int DEFAULT_BATCH_DOCUMENTS = 32;
    private static final int CHUNKS_PER_DOCUMENT = 4;
    /** Timed queries per mode and k ({@code -Dqueries=N}); a quarter as many run before them as warm-up. */
    private static final int QUERIES = Integer.getInteger("queries", 400);
    private static final int WARMUP = QUERIES / 4;
    private static final int RECALL_QUERIES = Math.min(100, QUERIES);
    private static final int[] TOP_KS = {5, 10};
    private static final List<RetrievalMode> MODES = List.of(RetrievalMode.DENSE, RetrievalMode.HYBRID);

    private RetrievalBench() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = Integer.parseInt(args[0]);
        LuceneOptions.VectorFormat format = args.length > 1 ? LuceneOptions.VectorFormat.parse(args[1])
                : LuceneOptions.VectorFormat.FLOAT32;
        boolean latent = args.length <= 2 || !args[2].equals("random");
        int batchDocuments = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_BATCH_DOCUMENTS;
        int writers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Path kept = args.length > 5 ? Path.of(args[5]) : null;
        boolean build = kept == null || !Files.isDirectory(kept);
        Path directory = kept == null ? Files.createTempDirectory("retrieval-bench") : kept;
        // the store as the app opens it (every default), apart from the format under test
        LuceneOptions defaults = AppConfig.defaults().store().lucene();
        LuceneOptions options = new LuceneOptions(Integer.getInteger("candidates", defaults.searchCandidates()),
                format, defaults.restMergeAfter());
        VectorSource source = latent ? new LatentVectors(new Random(3)) : new RandomVectors();
        float[][] vectors = new float[chunks][];
        Random random = new Random(7);
        for (int i = 0; i < chunks; i++) {
            vectors[i] = source.stored(random);
        }
        System.out.printf(Locale.ROOT, "java %s, %s; %d chunks, %s, %s vectors, %d documents per flush, "
                        + "search beam %d%n", Runtime.version(), vectorization(), chunks, format.label(),
                latent ? "latent32" : "random", batchDocuments, options.searchCandidates());

        // ---- the cost of the keyword leg at ingest: analysing title + passage, per chunk ----
        double analyseMicros = analysisMicros(Math.min(chunks, 5_000));

        long started = System.nanoTime();
        if (build) {
            build(directory, options, chunks, vectors, batchDocuments, writers);
        }
        double buildSeconds = build ? seconds(started) : Double.NaN;
        System.out.printf(Locale.ROOT, "build %.1f s; index %d MB; keyword analysis %.1f µs/chunk%n", buildSeconds,
                sizeMb(directory), analyseMicros);
        Random queries = new Random(11);
        List<float[]> queryVectors = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        for (int q = 0; q < QUERIES + WARMUP; q++) {
            // a question's text shares some words with a stored chunk (the one it is near, for random vectors)
            int target = queries.nextInt(chunks);
            queryVectors.add(source.query(vectors[target], queries));
            queryTexts.add(question(target, queries));
        }
        String row = String.format(Locale.ROOT, "| %,d | %s | %s | %.0f ", chunks, latent ? "latent32" : "random",
                format.label(), buildSeconds);
        try {
            List<String> rows = new ArrayList<>();
            // as written: the segments the tiered policy left when the writes stopped (merges at rest off)
            try (LuceneVectorStore store = LuceneVectorStore.open(directory, options.withRestMergeAfter(Duration.ZERO))) {
                rows.add(row + "| as written " + measure(store, vectors, queryVectors, queryTexts));
            }
            if (!Boolean.getBoolean("skipRest")) {
                // at rest: the store's merge at rest, triggered after a second instead of the default minute
                try (LuceneVectorStore store = LuceneVectorStore.open(directory,
                        options.withRestMergeAfter(Duration.ofSeconds(1)))) {
                    long merging = System.nanoTime();
                    while (store.restMerges() == 0) {
                        Thread.sleep(200);
                    }
                    System.out.printf(Locale.ROOT, "merge at rest %.1f s; index %d MB%n", seconds(merging),
                            sizeMb(directory));
                    rows.add(row + String.format(Locale.ROOT, "| at rest (merged in %.0f s) ", seconds(merging))
                            + measure(store, vectors, queryVectors, queryTexts));
                }
            }
            System.out.println("| chunks | vectors | format | build s | index | segments | dense top-5 p50 / p99 ms"
                    + " | dense top-10 p50 / p99 ms | hybrid top-10 p50 / p99 ms | dense top-10 CPU p50 / p99 ms"
                    + " | recall@10 |");
            rows.forEach(System.out::println);
        } finally {
            if (kept == null) {
                deleteTree(directory);
            }
        }
    }

    /** Queries {@code store} in every mode and k; prints the table; returns the Markdown row's measured cells. */
    private static String measure(LuceneVectorStore store, float[][] vectors, List<float[]> queryVectors,
                                  List<String> queryTexts) {
        store.ensureCollection(DIMENSION);
        int segments = store.segmentCount();
        System.out.printf(Locale.ROOT, "%d segments%n", segments);
        Map<String, double[]> latency = new java.util.LinkedHashMap<>();
        Map<String, double[]> cpu = new java.util.LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "%-8s %4s %8s %8s %8s %12s %12s%n", "mode", "k", "p50 ms", "p99 ms",
                "mean ms", "cpu p50 ms", "cpu p99 ms");
        for (int topK : TOP_KS) {
            for (RetrievalMode mode : MODES) {
                double[] cpuMillis = new double[QUERIES];
                double[] millis = latencies(store, mode, topK, queryVectors, queryTexts, cpuMillis);
                latency.put(mode.label() + topK, millis);
                cpu.put(mode.label() + topK, cpuMillis);
                System.out.printf(Locale.ROOT, "%-8s %4d %8.2f %8.2f %8.2f %12.2f %12.2f%n", mode.label(), topK,
                        percentile(millis, 50), percentile(millis, 99), Arrays.stream(millis).average().orElse(0),
                        percentile(cpuMillis, 50), percentile(cpuMillis, 99));
            }
        }
        double recall = recall(store, vectors, queryVectors.subList(WARMUP, WARMUP + RECALL_QUERIES));
        System.out.printf(Locale.ROOT, "dense recall@10 vs exact: %.3f%n", recall);
        return String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.3f |", segments,
                p50p99(latency.get("dense5")), p50p99(latency.get("dense10")), p50p99(latency.get("hybrid10")),
                p50p99(cpu.get("dense10")), recall);
    }

    private static void build(Path directory, LuceneOptions options, int chunks, float[][] vectors,
                              int batchDocuments, int writers) throws Exception {
        long started = System.nanoTime();
        try (LuceneVectorStore store = LuceneVectorStore.open(directory, options)) {
            store.ensureCollection(DIMENSION);
            int documents = (chunks + CHUNKS_PER_DOCUMENT - 1) / CHUNKS_PER_DOCUMENT;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> work = new ArrayList<>();
            int perWriter = (documents + writers - 1) / writers;
            for (int w = 0; w < writers; w++) {
                int from = w * perWriter;
                int to = Math.min(documents, from + perWriter);
                work.add(pool.submit(() -> {
                    for (int batch = from; batch < to; batch += batchDocuments) {
                        for (int d = batch; d < Math.min(to, batch + batchDocuments); d++) {
                            store.replaceDocument("doc-" + d, document(d, vectors));
                        }
                        store.flush(); // the commit the ingest makes when Kafka commits the batch's offsets
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            pool.shutdown();
            System.out.printf(Locale.ROOT, "written %d chunks in %.1f s (%.0f chunks/s, %d writer threads); "
                            + "segments before close: %d%n", chunks, seconds(started),
                    chunks / seconds(started), writers, store.segmentCount());
        }
    }

    private static String p50p99(double[] millis) {
        return String.format(Locale.ROOT, "%.2f / %.2f", percentile(millis, 50), percentile(millis, 99));
    }

    private static String vectorization() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                ? "jdk.incubator.vector loaded (Lucene logs whether it uses it)" : "no jdk.incubator.vector (scalar)";
    }

    /**
     * Wall-clock milliseconds per query (warm-up dropped), and in {@code cpuMillis} the query thread's CPU time: on a
     * shared machine the wall clock also counts the time other processes held the core.
     */
    private static double[] latencies(LuceneVectorStore store, RetrievalMode mode, int topK, List<float[]> vectors,
                                      List<String> texts, double[] cpuMillis) {
        RetrievalPlan plan = RetrievalPlan.DENSE_ONLY.withMode(mode);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] millis = new double[QUERIES];
        for (int q = 0; q < vectors.size(); q++) {
            SearchRequest request = new SearchRequest(vectors.get(q), texts.get(q), topK, null, Map.of(), -1.0,
                    plan);
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            List<SearchHit> hits = store.search(List.of(request)).get(0);
            long elapsed = System.nanoTime() - start;
            long cpuElapsed = threads.getCurrentThreadCpuTime() - cpu;
            if (hits.isEmpty() && mode != RetrievalMode.KEYWORD) {
                throw new IllegalStateException("no hits for query " + q);
            }
            if (q >= WARMUP) {
                millis[q - WARMUP] = elapsed / 1e6;
                cpuMillis[q - WARMUP] = cpuElapsed / 1e6;
            }
        }
        return millis;
    }

    /** Share of the exact top-10 (brute force over all vectors) that the store's dense search returns. */
    private static double recall(LuceneVectorStore store, float[][] vectors, List<float[]> queries) {
        int found = 0;
        int topK = 10;
        for (float[] query : queries) {
            // keep the 10 best by exact dot product (all vectors are unit length: dot = cosine)
            java.util.PriorityQueue<double[]> best = new java.util.PriorityQueue<>(
                    Comparator.comparingDouble((double[] entry) -> entry[0]));
            for (int i = 0; i < vectors.length; i++) {
                double dot = 0;
                float[] vector = vectors[i];
                for (int d = 0; d < DIMENSION; d++) {
                    dot += query[d] * vector[d];
                }
                if (best.size() < topK) {
                    best.add(new double[] {dot, i});
                } else if (dot > best.peek()[0]) {
                    best.poll();
                    best.add(new double[] {dot, i});
                }
            }
            Set<String> exact = new HashSet<>();
            for (double[] entry : best) {
                exact.add(chunkId((int) entry[1]));
            }
            List<SearchHit> hits = store.search(List.of(new SearchRequest(query, topK, null, Map.of(), -1.0)))
                    .get(0);
            for (SearchHit hit : hits) {
                found += exact.contains(hit.chunk().chunkId()) ? 1 : 0;
            }
        }
        return (double) found / (queries.size() * topK);
    }

    /** How stored and query vectors are drawn. */
    private interface VectorSource {
        float[] stored(Random random);

        float[] query(float[] nearStored, Random random);
    }

    /** Uniform unit vectors; a query is 0.6 of a stored vector plus 0.8 of noise. */
    private static final class RandomVectors implements VectorSource {
        @Override
        public float[] stored(Random random) {
            return unit(random);
        }

        @Override
        public float[] query(float[] nearStored, Random random) {
            return near(nearStored, random);
        }
    }

    /** A 32-d Gaussian mapped into 384-d by a fixed random matrix, plus isotropic noise; queries drawn the same way. */
    private static final class LatentVectors implements VectorSource {
        private final float[][] basis = new float[LATENT][DIMENSION];

        LatentVectors(Random random) {
            for (float[] row : basis) {
                for (int d = 0; d < DIMENSION; d++) {
                    row[d] = (float) (random.nextGaussian() / Math.sqrt(LATENT));
                }
            }
        }

        @Override
        public float[] stored(Random random) {
            float[] vector = new float[DIMENSION];
            for (float[] row : basis) {
                float z = (float) random.nextGaussian();
                for (int d = 0; d < DIMENSION; d++) {
                    vector[d] += z * row[d];
                }
            }
            for (int d = 0; d < DIMENSION; d++) {
                vector[d] += LATENT_NOISE * (float) random.nextGaussian();
            }
            return normalised(vector);
        }

        @Override
        public float[] query(float[] nearStored, Random random) {
            return stored(random);
        }
    }

    private static float[] normalised(float[] vector) {
        double norm = 0;
        for (float component : vector) {
            norm += component * component;
        }
        for (int d = 0; d < vector.length; d++) {
            vector[d] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static List<StoredChunk> document(int d, float[][] vectors) {
        List<StoredChunk> chunks = new ArrayList<>(CHUNKS_PER_DOCUMENT);
        for (int c = 0; c < CHUNKS_PER_DOCUMENT; c++) {
            int index = d * CHUNKS_PER_DOCUMENT + c;
            if (index >= vectors.length) {
                break;
            }
            chunks.add(new StoredChunk(chunkId(index), "doc-" + d, c, 1L, "Title " + word(d % 5000, null),
                    passage(index), null, Map.of(), vectors[index]));
        }
        return chunks;
    }

    private static String chunkId(int index) {
        return UUID.nameUUIDFromBytes(("chunk-" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Words drawn Zipf-like (rank ~ 1/u) from the vocabulary, seeded by the chunk: the same text on every run. */
    private static String passage(int index) {
        Random random = new Random(index);
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < WORDS_PER_PASSAGE; w++) {
            text.append(word(zipf(random), random)).append(w % 15 == 14 ? ". " : " ");
        }
        return text.toString();
    }

    private static String question(int target, Random random) {
        String[] words = passage(target).split("[ .]+");
        StringBuilder text = new StringBuilder("what");
        for (int w = 0; w < 6; w++) {
            text.append(' ').append(words[random.nextInt(words.length)]);
        }
        return text.append(" ?").toString();
    }

    private static int zipf(Random random) {
        return (int) Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, random.nextDouble())) - 1);
    }

    /** A pronounceable pseudo-word per rank ("bako", "tirelu", ...), so the English analyzer treats it as a word. */
    private static String word(int rank, Random unused) {
        String consonants = "bcdfghklmnprstvz";
        String vowels = "aeiou";
        StringBuilder word = new StringBuilder();
        int n = rank + 1;
        while (n > 0) {
            word.append(consonants.charAt(n % consonants.length()));
            n /= consonants.length();
            word.append(vowels.charAt(n % vowels.length()));
            n /= vowels.length();
        }
        return word.toString();
    }

    private static double analysisMicros(int chunks) {
        List<String> texts = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            texts.add(KeywordText.of("Title " + word(i % 5000, null), passage(i)));
        }
        for (int i = 0; i < Math.min(chunks, 1000); i++) {
            KeywordText.terms(texts.get(i)); // warm-up
        }
        long start = System.nanoTime();
        long terms = 0;
        for (String text : texts) {
            terms += KeywordText.terms(text).size();
        }
        if (terms == 0) {
            throw new IllegalStateException("no terms");
        }
        return (System.nanoTime() - start) / 1e3 / chunks;
    }

    private static float[] unit(Random random) {
        float[] vector = new float[DIMENSION];
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
            norm += vector[d] * vector[d];
        }
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static float[] near(float[] target, Random random) {
        float[] noise = unit(random);
        float[] mixed = new float[DIMENSION];
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            mixed[d] = 0.6f * target[d] + 0.8f * noise[d];
            norm += mixed[d] * mixed[d];
        }
        for (int d = 0; d < DIMENSION; d++) {
            mixed[d] /= (float) Math.sqrt(norm);
        }
        return mixed;
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long sizeMb(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum() >> 20;
        }
    }

    private static void deleteTree(Path directory) throws Exception {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
