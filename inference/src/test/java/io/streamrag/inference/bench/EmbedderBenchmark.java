package io.streamrag.inference.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.embed.BundledMiniLm;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.OrtSentenceEmbedder;
import io.streamrag.inference.embed.SentenceEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Embeddings per second for all-MiniLM-L6-v2 on CPU, same run, same inputs (batches of 32 passages of 128 tokens):
 * the ONNX graph we build from the Hugging Face checkpoint on ONNX Runtime (the CPU default for safetensors folders),
 * ONNX Runtime on the bundled ONNX export, and our Java BERT encoder on DJL PyTorch. Not a test: prints a table.
 *
 * <pre>
 * ./mvnw -B -o -q -pl inference -am test-compile
 * ./mvnw -B -o -q -pl inference dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx3g -Dai.djl.offline=true -cp inference/target/classes:inference/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.streamrag.inference.bench.EmbedderBenchmark --threads 1 --iterations 7
 * </pre>
 */
public final class EmbedderBenchmark {
    private static final int BATCH = 32;
    private static final int TOKENS = 128;
    private static final String[] WORDS = ("stream record topic partition offset consumer producer broker cluster "
            + "replica leader follower commit transaction schema registry vector index search embedding model "
            + "question answer document chunk passage retrieval generation encoder decoder attention layer token "
            + "the a of and to in is that for on with as by at from it this be are was were has have had which "
            + "database table row column change event capture log snapshot storage memory latency throughput")
            .split(" ");

    private EmbedderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = intArg(args, "--threads", 1);
        int iterations = intArg(args, "--iterations", 5);
        // read once when the PyTorch engine starts, so set before any DJL class loads
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");

        Path cache = Files.createTempDirectory("embedder-bench");
        EmbedderOptions options = EmbedderOptions.defaults().withCacheDirectory(cache).withMaxTokens(TOKENS)
                .withOnnxThreads(threads).withMeterRegistry(new SimpleMeterRegistry());
        try (TextEmbedder built = OrtSentenceEmbedder.open(MiniLmFixture.folder(), options);
             TextEmbedder onnx = BundledMiniLm.open(options);
             TextEmbedder java = SentenceEmbedder.open(MiniLmFixture.folder(), options)) {
            List<String> batch = passages(java.tokenizer());
            Result[] results = measure(List.of(built, onnx, java), batch, iterations);
            Result builtResult = results[0];
            Result onnxResult = results[1];
            Result javaResult = results[2];
            List<float[]> reference = onnx.embed(batch);
            double builtAgreement = minCosine(built.embed(batch), reference);
            double javaAgreement = minCosine(java.embed(batch), reference);

            System.out.printf(Locale.ROOT, "%nall-MiniLM-L6-v2, CPU, %d thread(s), batch %d x %d tokens, %d timed "
                    + "iterations (+1 warm-up each, engines alternating), %d cores visible%n", threads, BATCH, TOKENS,
                    iterations, Runtime.getRuntime().availableProcessors());
            System.out.println("| engine                      | median emb/s | best emb/s | median ms/batch "
                    + "| emb per CPU-s |");
            System.out.println("|-----------------------------|-------------:|-----------:|----------------:"
                    + "|--------------:|");
            row("built graph on ONNX Runtime", builtResult);
            row("ONNX Runtime (bundled ONNX)", onnxResult);
            row("Java BERT on DJL PyTorch", javaResult);
            System.out.printf(Locale.ROOT, "built/bundled ONNX: %.2f by wall time (median), %.2f by CPU time%n",
                    builtResult.medianPerSecond() / onnxResult.medianPerSecond(),
                    builtResult.perCpuSecond() / onnxResult.perCpuSecond());
            System.out.printf(Locale.ROOT, "built/Java BERT on PyTorch: %.2f by wall time (median), %.2f by CPU time%n",
                    builtResult.medianPerSecond() / javaResult.medianPerSecond(),
                    builtResult.perCpuSecond() / javaResult.perCpuSecond());
            System.out.printf(Locale.ROOT, "Java/bundled ONNX: %.2f by wall time (median), %.2f by CPU time%n",
                    javaResult.medianPerSecond() / onnxResult.medianPerSecond(),
                    javaResult.perCpuSecond() / onnxResult.perCpuSecond());
            System.out.printf(Locale.ROOT, "lowest cosine to the bundled ONNX: built %.8f, Java %.8f%n",
                    builtAgreement, javaAgreement);
        }
    }

    /** Wall and calling-thread CPU seconds per batch; with one engine thread the CPU time ignores other load. */
    private record Result(double[] wallSeconds, double[] cpuSeconds) {
        static double median(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }

        double medianPerSecond() {
            return BATCH / median(wallSeconds);
        }

        double bestPerSecond() {
            return BATCH / Arrays.stream(wallSeconds).min().orElseThrow();
        }

        double perCpuSecond() {
            return BATCH / median(cpuSeconds);
        }
    }

    /** Alternates the engines batch by batch, so load from other processes hits all alike. */
    private static Result[] measure(List<TextEmbedder> engines, List<String> batch, int iterations) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = engines.size();
        double[][] wall = new double[n][iterations];
        double[][] cpu = new double[n][iterations];
        for (TextEmbedder engine : engines) {
            engine.embed(batch);
        }
        for (int i = 0; i < iterations; i++) {
            for (int e = 0; e < n; e++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                engines.get(e).embed(batch);
                wall[e][i] = (System.nanoTime() - start) / 1e9;
                cpu[e][i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            }
        }
        Result[] results = new Result[n];
        for (int e = 0; e < n; e++) {
            results[e] = new Result(wall[e], cpu[e]);
        }
        return results;
    }

    private static void row(String engine, Result r) {
        System.out.printf(Locale.ROOT, "| %-27s | %12.1f | %10.1f | %15.1f | %13.1f |%n", engine,
                r.medianPerSecond(), r.bestPerSecond(), Result.median(r.wallSeconds()) * 1000, r.perCpuSecond());
    }

    /** Passages of at least 128 tokens, so every one is cut to exactly 128 and no batch has padding. */
    private static List<String> passages(HuggingFaceTokenizer tokenizer) {
        Random random = new Random(42);
        List<String> passages = new ArrayList<>();
        while (passages.size() < BATCH) {
            StringBuilder text = new StringBuilder();
            while (tokenizer.encode(text.toString()).getIds().length < TOKENS) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(10) == 0 ? ". " : " ");
            }
            passages.add(text.toString());
        }
        return passages;
    }

    private static double minCosine(List<float[]> a, List<float[]> b) {
        double min = 1;
        for (int i = 0; i < a.size(); i++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int j = 0; j < a.get(i).length; j++) {
                dot += a.get(i)[j] * b.get(i)[j];
                na += a.get(i)[j] * a.get(i)[j];
                nb += b.get(i)[j] * b.get(i)[j];
            }
            min = Math.min(min, dot / Math.sqrt(na * nb));
        }
        return min;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
