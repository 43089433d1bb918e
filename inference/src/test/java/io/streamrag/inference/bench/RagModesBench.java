package io.streamrag.inference.bench;

import ai.djl.engine.Engine;
import io.streamrag.inference.bart.BartDecoderState;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.BartTeacherForcing;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.rag.RagSequenceGenerator;
import io.streamrag.inference.rag.RagSequenceGenerator.Decoding;
import io.streamrag.inference.rag.RagTokenGenerator;
import io.streamrag.inference.rag.RetrievedContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Answers per second and latency of the three RAG generation modes with k = {@value #DOCUMENTS} passages per
 * question, on a bart-base-shaped checkpoint with random weights (written to a temp folder, deleted afterwards),
 * CPU. Prints a table; not a test.
 *
 * <pre>
 * ./mvnw -B -o -q -pl inference -am test-compile
 * ./mvnw -B -o -q -pl inference dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp inference/target/classes:inference/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.streamrag.inference.bench.RagModesBench [sequential requests, default 5] [batch, default 4]
 * </pre>
 *
 * Each question has k generator inputs of {@value #INPUT_TOKENS} random tokens (a ~100-word passage with its title
 * and the question) and random doc scores. EOS is suppressed until {@value #NEW_TOKENS} new tokens, so every answer
 * and candidate has the same length whatever the random weights prefer. Latency: one question per call,
 * sequentially, p50 and p99 (nearest rank: with few requests p99 is the slowest); answers/s = 1000 / mean latency.
 * Batch: that many questions in one call.
 *
 * <p>rag-token and rag-sequence run this module's decoders on token ids ({@code RagTokenGenerator},
 * {@code RagSequenceGenerator}): rag-sequence thorough = the inputs encoded once, one {@code generate} over
 * questions x k inputs with {@code num_return_sequences = num_beams}, the candidates pooled per question by token
 * ids, then one teacher-forced pass over every (candidate, passage) pair on the same encoder states; fast = the
 * {@code generate} call and the pooling. "re-encoding" is how thorough ran before, the encoder run again for every
 * pair (generate on its own encoding). concat = the {@code generate} call of the QA module's composer, on one input
 * holding the question's k passages (its posterior pass is left out). The composers' formatting is left out; it is
 * negligible next to these calls.
 */
public final class RagModesBench {
    private static final int DOCUMENTS = 5;
    private static final int INPUT_TOKENS = 128;
    private static final int NEW_TOKENS = 20;

    private RagModesBench() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("bart-base-random");
        try {
            RandomBartCheckpoint.writeBartBase(dir, 42);
            try (InputStream in = RagModesBench.class.getResourceAsStream("/bart/tiny/tokenizer.json")) {
                Files.copy(in, dir.resolve("tokenizer.json")); // only detokenises here; inputs are ids
            }
            try (BartGenerator bart = BartGenerator.open(dir, DeviceSettings.CPU_FP32)) {
                System.out.printf(Locale.ROOT, "bart-base shape, random weights; PyTorch %s, intra-op threads %s; k=%d,"
                        + " %d input tokens per passage, %d new tokens%n", Engine.getEngine("PyTorch").getVersion(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"), DOCUMENTS, INPUT_TOKENS,
                        NEW_TOKENS);
                RagTokenGenerator rag = new RagTokenGenerator(bart);
                RagSequenceGenerator thorough = new RagSequenceGenerator(bart, Decoding.THOROUGH, true, null);
                RagSequenceGenerator fast = new RagSequenceGenerator(bart, Decoding.FAST, true, null);
                List<Mode> modes = new ArrayList<>();
                for (int beams : new int[] {1, 4}) {
                    String search = beams == 1 ? "greedy" : "beam " + beams;
                    GenerationSettings one = settings(bart, beams, 1);
                    GenerationSettings all = settings(bart, beams, beams);
                    modes.add(new Mode("rag-token, " + search, qs -> rag.generateIds(qs, one)));
                    modes.add(new Mode("rag-sequence thorough, " + search, qs -> thorough.generateIds(qs, all)));
                    modes.add(new Mode("rag-seq. thorough re-encoding, " + search,
                            qs -> reencodingRagSequence(bart, qs, all)));
                    modes.add(new Mode("rag-sequence fast, " + search, qs -> fast.generateIds(qs, all)));
                    modes.add(new Mode("concat, " + search, qs -> concat(bart, qs, one)));
                }
                measure(modes, bart.model().config().vocabSize(), requests, batch);
                System.out.println();
                System.out.printf("| %-30s | %7s | %7s | %9s | %13s | %17s |%n", "mode (k=" + DOCUMENTS + ")",
                        "p50 ms", "p99 ms", "answers/s", "CPU ms/answer", "answers/s batch " + batch);
                System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(32), "-".repeat(9), "-".repeat(9),
                        "-".repeat(11), "-".repeat(15), "-".repeat(19));
                for (Mode m : modes) {
                    double[] wall = m.wallMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    double[] cpu = m.cpuMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    double mean = Arrays.stream(wall).average().orElseThrow();
                    System.out.printf("| %-30s | %7s | %7s | %9s | %13s | %17s |%n", m.name,
                            fmt(percentile(wall, 0.5)), fmt(percentile(wall, 0.99)), fmt(1000 / mean),
                            fmt(percentile(cpu, 0.5)), fmt(m.batchRate));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(RagModesBench::deleteQuietly);
            }
        }
    }

    /**
     * Runs every mode on the same questions, interleaved in a rotating order, so that load from other processes
     * on a shared machine falls on all modes alike. CPU time is the calling thread's (with
     * {@code -Dai.djl.pytorch.num_threads=1} PyTorch computes on that thread, so it is the whole cost).
     */
    private static void measure(List<Mode> modes, int vocab, int requests, int batch) {
        SplittableRandom random = new SplittableRandom(11);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        RetrievedContext warmUp = question(random, vocab);
        modes.forEach(m -> m.run.accept(List.of(warmUp)));
        for (int i = 0; i < requests; i++) {
            RetrievedContext q = question(random, vocab);
            for (int j = 0; j < modes.size(); j++) {
                Mode m = modes.get((i + j) % modes.size());
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                m.run.accept(List.of(q));
                m.wallMillis.add((System.nanoTime() - t0) / 1e6);
                m.cpuMillis.add((threads.getCurrentThreadCpuTime() - cpu0) / 1e6);
            }
            System.out.printf(Locale.ROOT, "request %d of %d done%n", i + 1, requests);
        }
        List<RetrievedContext> questions = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            questions.add(question(random, vocab));
        }
        for (Mode m : modes) {
            long t0 = System.nanoTime();
            m.run.accept(questions);
            m.batchRate = batch / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** One way of answering, and what was measured of it. */
    private static final class Mode {
        final String name;
        final Consumer<List<RetrievedContext>> run;
        final List<Double> wallMillis = new ArrayList<>();
        final List<Double> cpuMillis = new ArrayList<>();
        double batchRate;

        Mode(String name, Consumer<List<RetrievedContext>> run) {
            this.name = name;
            this.run = run;
        }
    }

    /** Thorough rag-sequence as it ran before: generate, then every (candidate, passage) pair encoded again. */
    private static void reencodingRagSequence(BartGenerator bart, List<RetrievedContext> questions,
            GenerationSettings settings) {
        List<int[]> inputs = new ArrayList<>();
        questions.forEach(q -> inputs.addAll(q.inputIds()));
        List<List<GeneratedSequence>> hypotheses = bart.generateIds(inputs.toArray(new int[0][]), settings);
        List<int[]> pairInputs = new ArrayList<>();
        List<int[]> pairTargets = new ArrayList<>();
        int offset = 0;
        for (RetrievedContext q : questions) {
            Map<List<Integer>, int[]> pooled = new LinkedHashMap<>();
            for (int d = 0; d < q.documents(); d++) {
                for (GeneratedSequence s : hypotheses.get(offset + d)) {
                    pooled.putIfAbsent(Arrays.stream(s.tokenIds()).boxed().toList(), s.tokenIds());
                }
            }
            for (int[] candidate : pooled.values()) {
                pairInputs.addAll(q.inputIds());
                q.inputIds().forEach(input -> pairTargets.add(candidate));
            }
            offset += q.documents();
        }
        int[] identity = new int[pairInputs.size()];
        Arrays.setAll(identity, i -> i);
        try (BartDecoderState perPair = bart.model().encode(pairInputs.toArray(new int[0][]))) {
            BartTeacherForcing.logLikelihoods(bart.model(), perPair, identity, pairTargets);
        }
    }

    /** The generator call of the QA module's {@code ConcatComposer}: the k passages in one input. */
    private static void concat(BartGenerator bart, List<RetrievedContext> questions, GenerationSettings settings) {
        int max = bart.maxInputTokens();
        int[][] inputs = new int[questions.size()][];
        for (int i = 0; i < inputs.length; i++) {
            int[] packed = new int[max];
            int length = 0;
            packed[length++] = 0;
            for (int[] passage : questions.get(i).inputIds()) {
                int body = Math.min(passage.length - 2, max - 1 - length);
                System.arraycopy(passage, 1, packed, length, body);
                length += body;
            }
            packed[length++] = 2;
            inputs[i] = Arrays.copyOf(packed, length);
        }
        bart.generateIds(inputs, settings);
    }

    private static GenerationSettings settings(BartGenerator bart, int beams, int returned) {
        var c = bart.model().config();
        return new GenerationSettings(beams, returned, 1 + NEW_TOKENS, NEW_TOKENS, 1 + NEW_TOKENS, 1.0,
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
