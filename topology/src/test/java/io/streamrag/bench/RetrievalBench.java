package io.streamrag.bench;

import io.streamrag.store.KeywordText;
import io.streamrag.store.RetrievalMode;
import io.streamrag.store.RetrievalPlan;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneOptions;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Retrieval latency of the embedded store as the app keeps it: synthetic chunks (random unit vectors, passages of
 * Zipf-distributed words from a 30k-word vocabulary, titles) written through the store's own API in ingest-sized
 * batches, each batch followed by the store's flush (its commit), from {@code writers} threads; then the store is
 * closed and reopened (merges settled, as after a restart) and queried from one thread. Prints build time, segment
 * count, p50/p99 latency per retrieval mode, and the dense leg's recall@10 against exact search. Not a test.
 *
 * <pre>
 * CP="topology/target/test-classes:topology/target/classes:inference/target/classes:schemas/target/classes:$(cat topology/target/bench.cp)"
 * java -Xmx8g -cp "$CP" io.streamrag.bench.RetrievalBench CHUNKS [float32|int8] [modes] [writers] [docs-per-flush]
 * </pre>
 * modes: comma-separated {@code dense,keyword,hybrid} (default all three); docs-per-flush: documents (4 chunks each)
 * written between two flushes (default 32, the ingest's batch).
 */
public final class RetrievalBench {

    private static final int DIMENSION = 384;
    private static final int VOCABULARY = 30_000;
    private static final int WORDS_PER_PASSAGE = 90;
    private static final int DEFAULT_BATCH_DOCUMENTS = 32;
    private static final int CHUNKS_PER_DOCUMENT = 4;
    private static final int QUERIES = 400;
    private static final int WARMUP = 100;
    private static final int TOP_K = 10;

    private RetrievalBench() {
    }

    public static void main(String[] args) throws Exception {
        int chunks = Integer.parseInt(args[0]);
        LuceneOptions.VectorFormat format = args.length > 1 ? LuceneOptions.VectorFormat.parse(args[1])
                : LuceneOptions.VectorFormat.FLOAT32;
        List<RetrievalMode> modes = new ArrayList<>();
        for (String mode : (args.length > 2 ? args[2] : "dense,keyword,hybrid").split(",")) {
            modes.add(RetrievalMode.parse(mode));
        }
        int writers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int batchDocuments = args.length > 4 ? Integer.parseInt(args[4]) : DEFAULT_BATCH_DOCUMENTS;
        Path directory = Files.createTempDirectory("retrieval-bench");
        LuceneOptions options = LuceneOptions.DEFAULTS.withVectorFormat(format);
        float[][] vectors = new float[chunks][];
        Random random = new Random(7);
        for (int i = 0; i < chunks; i++) {
            vectors[i] = unit(random);
        }

        // ---- the cost of the keyword leg at ingest: analysing title + passage, per chunk ----
        double analyseMicros = analysisMicros(Math.min(chunks, 5_000));

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
                        store.flush(); // what the ingest does before Kafka commits a batch's offsets
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            pool.shutdown();
            System.out.printf(Locale.ROOT, "written %d chunks in %.1f s (%.0f chunks/s, %d writer threads); "
                            + "segments before close: %d; %d documents per flush%n", chunks, seconds(started),
                    chunks / seconds(started), writers, store.segmentCount(), batchDocuments);
        }
        double buildSeconds = seconds(started);
        long reopened = System.nanoTime();
        try (LuceneVectorStore store = LuceneVectorStore.open(directory, options)) {
            store.ensureCollection(DIMENSION);
            System.out.printf(Locale.ROOT, "build incl. close (merges settled) %.1f s; reopen %.2f s; %d segments; "
                            + "index %d MB; keyword analysis %.1f µs/chunk%n", buildSeconds, seconds(reopened),
                    store.segmentCount(), sizeMb(directory), analyseMicros);
            Random queries = new Random(11);
            List<float[]> queryVectors = new ArrayList<>();
            List<String> queryTexts = new ArrayList<>();
            for (int q = 0; q < QUERIES + WARMUP; q++) {
                // a query near a stored chunk, as a question is near its passage; its text shares some words
                int target = queries.nextInt(chunks);
                queryVectors.add(near(vectors[target], queries));
                queryTexts.add(question(target, queries));
            }
            System.out.printf(Locale.ROOT, "%-8s %8s %8s %8s%n", "mode", "p50 ms", "p99 ms", "mean ms");
            for (RetrievalMode mode : modes) {
                double[] millis = latencies(store, mode, queryVectors, queryTexts);
                System.out.printf(Locale.ROOT, "%-8s %8.2f %8.2f %8.2f%n", mode.label(), percentile(millis, 50),
                        percentile(millis, 99), Arrays.stream(millis).average().orElse(0));
            }
            System.out.printf(Locale.ROOT, "dense recall@%d vs exact: %.3f%n", TOP_K,
                    recall(store, vectors, queryVectors.subList(WARMUP, WARMUP + Math.min(100, QUERIES))));
        } finally {
            deleteTree(directory);
        }
    }

    private static double[] latencies(LuceneVectorStore store, RetrievalMode mode, List<float[]> vectors,
                                      List<String> texts) {
        RetrievalPlan plan = RetrievalPlan.DENSE_ONLY.withMode(mode);
        double[] millis = new double[QUERIES];
        for (int q = 0; q < vectors.size(); q++) {
            SearchRequest request = new SearchRequest(vectors.get(q), texts.get(q), TOP_K, null, Map.of(), -1.0,
                    plan);
            long start = System.nanoTime();
            List<SearchHit> hits = store.search(List.of(request)).get(0);
            long elapsed = System.nanoTime() - start;
            if (hits.isEmpty() && mode != RetrievalMode.KEYWORD) {
                throw new IllegalStateException("no hits for query " + q);
            }
            if (q >= WARMUP) {
                millis[q - WARMUP] = elapsed / 1e6;
            }
        }
        return millis;
    }

    /** Share of the exact top-10 (brute force over all vectors) that the store's dense search returns. */
    private static double recall(LuceneVectorStore store, float[][] vectors, List<float[]> queries) {
        int found = 0;
        for (float[] query : queries) {
            Set<String> exact = new HashSet<>();
            Integer[] order = new Integer[vectors.length];
            double[] scores = new double[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                order[i] = i;
                double dot = 0;
                for (int d = 0; d < DIMENSION; d++) {
                    dot += query[d] * vectors[i][d];
                }
                scores[i] = dot;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
            for (int r = 0; r < TOP_K; r++) {
                exact.add(chunkId(order[r]));
            }
            List<SearchHit> hits = store.search(List.of(new SearchRequest(query, TOP_K, null, Map.of(), -1.0)))
                    .get(0);
            for (SearchHit hit : hits) {
                found += exact.contains(hit.chunk().chunkId()) ? 1 : 0;
            }
        }
        return (double) found / (queries.size() * TOP_K);
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
