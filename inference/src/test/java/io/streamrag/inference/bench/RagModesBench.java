package io.streamrag.inference.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.ComputePrecision;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.rag.RagTokenGenerator;
import io.streamrag.inference.rag.RetrievedContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Answers per second and latency of the RAG generation modes with k = {@value #DOCUMENTS} passages per question, on
 * a bart-base-shaped checkpoint with random weights (written to a temp folder, deleted afterwards), CPU. Prints a
 * table; not a test.
 *
 * <pre>
 * ./mvnw -B -o -q -pl inference -am test-compile
 * ./mvnw -B -o -q -pl inference dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp inference/target/classes:inference/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.streamrag.inference.bench.RagModesBench [sequential requests, default 10]
 * </pre>
 *
 * Each question has k generator inputs of {@value #INPUT_TOKENS} random tokens (a ~100-word passage with its
 * title and the question) and random doc scores. EOS is suppressed until {@value #NEW_TOKENS} new tokens, so every
 * answer has the same length whatever the random weights prefer. Latency: one question per call, sequentially, p50
 * and p99 over the requests (with few requests p99 is the slowest one). Batch: {@value #BATCH} questions in one
 * call (one decoder call per step for all questions x beams x k rows). The tokenizer is the tiny test BART's; inputs
 * are token ids, so it only detokenises (ids it lacks decode to nothing).
 *
 * <p>Only rag-token is measured here: rag-sequence and concat live in the topology module's QA code, which the
 * inference module cannot depend on.
 */
public final class RagModesBench {
    private static final int DOCUMENTS = 5;
    private static final int INPUT_TOKENS = 128;
    private static final int NEW_TOKENS = 20;
    private static final int BATCH = 8;

    private RagModesBench() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("bart-base-random");
        try {
            RandomBartCheckpoint.writeBartBase(dir, 42);
            try (InputStream in = RagModesBench.class.getResourceAsStream("/bart/tiny/tokenizer.json")) {
                Files.copy(in, dir.resolve("tokenizer.json"));
            }
            try (BartGenerator bart = BartGenerator.open(dir, Device.cpu(), ComputePrecision.FP32)) {
                System.out.printf(Locale.ROOT, "bart-base shape, random weights; PyTorch %s, intra-op threads %s; k=%d,"
                        + " %d input tokens per passage, %d new tokens%n", Engine.getEngine("PyTorch").getVersion(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"), DOCUMENTS, INPUT_TOKENS,
                        NEW_TOKENS);
                RagTokenGenerator rag = new RagTokenGenerator(bart);
                List<String[]> rows = new ArrayList<>();
                for (int beams : new int[] {1, 4}) {
                    rows.add(measure("rag-token, " + (beams == 1 ? "greedy" : "beam " + beams), rag,
                            settings(bart, beams), requests));
                }
                System.out.println();
                System.out.printf("| %-22s | %8s | %8s | %8s | %16s |%n", "mode (k=" + DOCUMENTS + ")", "p50 ms",
                        "p99 ms", "answers/s", "answers/s, batch " + BATCH);
                System.out.printf("|%s|%s|%s|%s|%s|%n", "-".repeat(24), "-".repeat(10), "-".repeat(10), "-".repeat(11),
                        "-".repeat(18));
                for (String[] r : rows) {
                    System.out.printf("| %-22s | %8s | %8s | %9s | %16s |%n", (Object[]) r);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(RagModesBench::deleteQuietly);
            }
        }
    }

    private static String[] measure(String name, RagTokenGenerator rag, GenerationSettings settings, int requests) {
        SplittableRandom random = new SplittableRandom(11);
        int vocab = rag.generator().model().config().vocabSize();
        rag.generateIds(List.of(question(random, vocab)), settings); // warm-up
        double[] millis = new double[requests];
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            RetrievedContext q = question(random, vocab);
            long t0 = System.nanoTime();
            rag.generateIds(List.of(q), settings);
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        double sequentialRate = requests / ((System.nanoTime() - start) / 1e9);
        List<RetrievedContext> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(question(random, vocab));
        }
        long t0 = System.nanoTime();
        rag.generateIds(batch, settings);
        double batchRate = BATCH / ((System.nanoTime() - t0) / 1e9);
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "%s: done%n", name);
        return new String[] {name, fmt(percentile(millis, 0.50)), fmt(percentile(millis, 0.99)), fmt(sequentialRate),
                fmt(batchRate)};
    }

    private static GenerationSettings settings(BartGenerator bart, int beams) {
        var c = bart.model().config();
        return new GenerationSettings(beams, 1, 1 + NEW_TOKENS, NEW_TOKENS, 1 + NEW_TOKENS, 1.0,
                GenerationSettings.EarlyStopping.FALSE, 0, null, null, c.decoderStartTokenId(), c.eosTokenId(),
                c.padTokenId());
    }

    private static RetrievedContext question(SplittableRandom random, int vocab) {
        List<int[]> inputs = new ArrayList<>();
        float[] scores = new float[DOCUMENTS];
        for (int d = 0; d < DOCUMENTS; d++) {
            int[] row = new int[INPUT_TOKENS];
            for (int i = 0; i < row.length; i++) {
                row[i] = 4 + random.nextInt(vocab - 4);
            }
            row[0] = 0;
            row[row.length - 1] = 2;
            inputs.add(row);
            scores[d] = (float) (60 + 10 * random.nextDouble()); // inner products of the size DPR gives
        }
        return new RetrievedContext(inputs, scores);
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("could not delete " + p + ": " + e);
        }
    }
}
