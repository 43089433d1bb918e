package io.streamrag.inference.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.bart.BartDecodingSession;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.BeamSearch;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GreedySearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * BART decoding speed on a bart-base-shaped checkpoint with random weights (d_model 768, 6+6 layers, 12 heads,
 * FFN 3072, vocab 50265), written to a temp folder and deleted afterwards. Prints a table; not a test.
 *
 * <pre>
 * ./mvnw -B -o -q -pl inference -am test-compile
 * ./mvnw -B -o -q -pl inference dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp inference/target/classes:inference/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.streamrag.inference.bench.BartBench [device: cpu|cuda:N] [precision: fp32|fp16]
 * </pre>
 *
 * Generation runs with EOS suppressed (min_length = max length) so every row decodes exactly
 * {@value #NEW_TOKENS} tokens; tokens/s counts output tokens (batch x new tokens) per wall second, encoder
 * included. A decode step is one cached decoder position for every row, log_softmax and copy to the host included.
 */
public final class BartBench {
    private static final int INPUT_TOKENS = 64;
    private static final int NEW_TOKENS = 32;
    private static final int REPEATS = 5;

    private BartBench() {
    }

    public static void main(String[] args) throws Exception {
        DeviceSettings settings = DeviceSettings.parse(args.length > 0 ? args[0] : "cpu",
                args.length > 1 ? args[1] : "fp32");
        Path dir = Files.createTempDirectory("bart-base-random");
        try {
            long t0 = System.nanoTime();
            RandomBartCheckpoint.writeBartBase(dir, 42);
            System.out.printf(Locale.ROOT, "wrote random bart-base checkpoint in %.1f s%n", seconds(t0));
            t0 = System.nanoTime();
            try (BartModel model = BartModel.load(dir, settings)) {
                System.out.printf(Locale.ROOT, "loaded in %.1f s; device %s, %s, PyTorch %s, intra-op threads %s%n",
                        seconds(t0), settings.device(), settings.precision(),
                        Engine.getEngine("PyTorch").getVersion(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"));
                run(model);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(BartBench::deleteQuietly);
            }
        }
    }

    private static void run(BartModel model) {
        int[] batches = {1, 8};
        String[][] rows = {
                {"decode step @ position 8 (ms)"}, {"decode step @ position 64 (ms)"},
                {"greedy, 32 new tokens (tokens/s)"}, {"beam 4, 32 new tokens (tokens/s)"},
                {"beam 4 step (ms)"}};
        String[][] cells = new String[rows.length][batches.length];
        for (int c = 0; c < batches.length; c++) {
            int batch = batches[c];
            int[][] inputs = randomInputs(batch, model.config().vocabSize());
            warmUp(model, inputs);
            cells[0][c] = fmt(stepMillis(model, inputs, 8));
            cells[1][c] = fmt(stepMillis(model, inputs, 64));
            double greedy = generateSeconds(model, inputs, 1);
            cells[2][c] = fmt(batch * NEW_TOKENS / greedy);
            double beam = generateSeconds(model, inputs, 4);
            cells[3][c] = fmt(batch * NEW_TOKENS / beam);
            cells[4][c] = fmt(beam * 1000 / NEW_TOKENS);
            int leaked = model.manager().getManagedArrays().size();
            System.out.printf(Locale.ROOT, "batch %d done (arrays held by the model: %d)%n", batch, leaked);
        }
        System.out.println();
        System.out.printf("| %-34s | %10s | %10s |%n", "metric (median of " + REPEATS + ")", "batch 1", "batch 8");
        System.out.printf("|%s|%s|%s|%n", "-".repeat(36), "-".repeat(12), "-".repeat(12));
        for (int r = 0; r < rows.length; r++) {
            System.out.printf("| %-34s | %10s | %10s |%n", rows[r][0], cells[r][0], cells[r][1]);
        }
    }

    private static void warmUp(BartModel model, int[][] inputs) {
        generateOnce(model, inputs, 1, 4);
    }

    /** Median ms of one cached step fed at decoder position {@code position} (cache filled untimed). */
    private static double stepMillis(BartModel model, int[][] inputs, int position) {
        double[] samples = new double[REPEATS];
        int start = model.config().decoderStartTokenId();
        for (int i = 0; i < REPEATS; i++) {
            try (BartDecodingSession session = new BartDecodingSession(model, model.encode(inputs))) {
                int[][] prefix = new int[inputs.length][position];
                for (int[] row : prefix) {
                    Arrays.fill(row, 5);
                    row[0] = start;
                }
                try (NDManager prefill = model.manager().newSubManager()) {
                    model.decode(session.state(), prefix, prefill);
                }
                int[] tokens = new int[inputs.length];
                Arrays.fill(tokens, 7);
                long t0 = System.nanoTime();
                session.nextTokenLogProbs(tokens);
                samples[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return median(samples);
    }

    private static double generateSeconds(BartModel model, int[][] inputs, int beams) {
        double[] samples = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            generateOnce(model, inputs, beams, NEW_TOKENS);
            samples[i] = seconds(t0);
        }
        return median(samples);
    }

    private static void generateOnce(BartModel model, int[][] inputs, int beams, int newTokens) {
        int eos = model.config().eosTokenId();
        GenerationSettings settings = new GenerationSettings(beams, 1, 1 + newTokens, newTokens, 1 + newTokens, 1.0,
                GenerationSettings.EarlyStopping.FALSE, 0, null, null, model.config().decoderStartTokenId(), eos,
                model.config().padTokenId());
        try (BartDecodingSession session = new BartDecodingSession(model, model.encode(inputs))) {
            if (beams == 1) {
                GreedySearch.run(session, settings);
            } else {
                BeamSearch.run(session, settings);
            }
        }
    }

    private static int[][] randomInputs(int batch, int vocab) {
        SplittableRandom random = new SplittableRandom(7);
        int[][] inputs = new int[batch][INPUT_TOKENS];
        for (int[] row : inputs) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 4 + random.nextInt(vocab - 4);
            }
            row[0] = 0;
            row[row.length - 1] = 2;
        }
        return inputs;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("could not delete " + p + ": " + e);
        }
    }
}
