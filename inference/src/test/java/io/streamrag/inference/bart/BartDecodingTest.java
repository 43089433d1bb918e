package io.streamrag.inference.bart;

import static io.streamrag.inference.bart.BartGoldenTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GenerationSettings.EarlyStopping;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of the Java BART that need no reference implementation: cache, batching, memory. */
class BartDecodingTest {
    private static final BartGoldens GOLDENS = BartGoldens.load();
    private static BartGenerator generator;
    private static BartModel model;

    @BeforeAll
    static void open() throws Exception {
        generator = BartGenerator.open(BartGoldens.folder("tiny"), DeviceSettings.CPU_FP32);
        model = generator.model();
    }

    @AfterAll
    static void close() {
        generator.close();
    }

    @Test
    void cachedDecodingEqualsAFullRecompute() {
        int[][] tokens = GOLDENS.decoderInputIds();
        int length = tokens[0].length;
        try (NDManager out = NDManager.newBaseManager(Device.cpu());
                BartDecoderState full = model.encode(GOLDENS.inputIds());
                BartDecoderState stepwise = model.encode(GOLDENS.inputIds())) {
            NDArray reference = model.decode(full, tokens, out);
            // a 3-token chunk first (causal mask with an empty cache), then one token at a time from the cache
            NDArray chunk = model.decode(stepwise, columns(tokens, 0, 3), out);
            assertClose(chunk.toFloatArray(), reference.get(new NDIndex(":, 0:3, :")).toFloatArray(), 1e-5);
            for (int t = 3; t < length; t++) {
                int[] column = new int[tokens.length];
                for (int r = 0; r < tokens.length; r++) {
                    column[r] = tokens[r][t];
                }
                NDArray step = model.decodeStep(stepwise, column, out);
                assertClose(step.toFloatArray(), reference.get(new NDIndex(":, " + t + ", :")).toFloatArray(), 1e-5);
            }
            assertThat(stepwise.length()).isEqualTo(length);
        }
    }

    @Test
    void aChunkAfterCachedPositionsSeesThemThroughTheCausalMask() {
        int[][] tokens = GOLDENS.decoderInputIds();
        int length = tokens[0].length;
        try (NDManager out = NDManager.newBaseManager(Device.cpu());
                BartDecoderState full = model.encode(GOLDENS.inputIds());
                BartDecoderState split = model.encode(GOLDENS.inputIds())) {
            NDArray reference = model.decode(full, tokens, out);
            model.decode(split, columns(tokens, 0, 2), out);
            NDArray rest = model.decode(split, columns(tokens, 2, length), out);
            assertClose(rest.toFloatArray(), reference.get(new NDIndex(":, 2:, :")).toFloatArray(), 1e-5);
        }
    }

    @Test
    void aBatchGeneratesWhatItsItemsGenerateOneByOne() {
        List<String> inputs = GOLDENS.inputs();
        for (GenerationSettings settings : List.of(settings(1, 1, EarlyStopping.FALSE, 0),
                settings(4, 3, EarlyStopping.FALSE, 0), settings(3, 2, EarlyStopping.TRUE, 2))) {
            List<List<GeneratedSequence>> batch = generator.generate(inputs, settings);
            for (int i = 0; i < inputs.size(); i++) {
                List<GeneratedSequence> alone = generator.generate(List.of(inputs.get(i)), settings).get(0);
                assertThat(batch.get(i)).hasSameSizeAs(alone);
                for (int k = 0; k < alone.size(); k++) {
                    assertThat(batch.get(i).get(k).tokenIds()).containsExactly(alone.get(k).tokenIds());
                    assertThat(batch.get(i).get(k).score()).isCloseTo(alone.get(k).score(), Offset.offset(1e-5));
                }
            }
        }
    }

    @Test
    void generatedLogLikelihoodEqualsTeacherForcedRescoring() {
        List<String> inputs = GOLDENS.inputs();
        List<List<GeneratedSequence>> beams = generator.generate(inputs, settings(4, 2, EarlyStopping.FALSE, 0));
        for (int i = 0; i < inputs.size(); i++) {
            for (GeneratedSequence seq : beams.get(i)) {
                double rescored = generator.sequenceLogLikelihood(List.of(inputs.get(i)), List.of(seq.tokenIds()))[0];
                assertThat(seq.logLikelihood()).isCloseTo(rescored, Offset.offset(1e-4));
                assertThat(seq.logLikelihood()).isLessThan(0);
            }
        }
    }

    @Test
    void rescoringInChunksEqualsOneBatch() {
        double[] whole = BartTeacherForcing.logLikelihoods(model, GOLDENS.inputIds(), GOLDENS.targets());
        // a budget below two rows' logits scores one row at a time
        double[] chunked = BartTeacherForcing.logLikelihoods(model, GOLDENS.inputIds(), GOLDENS.targets(),
                model.config().vocabSize() * 8L);
        assertThat(chunked).containsExactly(whole, Offset.offset(1e-5));
    }

    @Test
    void encodedOnceGeneratesExactlyWhatGenerateDoesAndScoresWhatReencodingEachPairScores() {
        List<String> inputs = GOLDENS.inputs();
        GenerationSettings beams = settings(3, 3, EarlyStopping.FALSE, 0);
        List<List<GeneratedSequence>> direct = generator.generate(inputs, beams);
        int before = model.manager().getManagedArrays().size();
        try (EncodedInputs encoded = generator.encode(inputs)) {
            List<List<GeneratedSequence>> reused = encoded.generate(beams);
            // twice from one encoding: generation must not disturb the encoder states
            List<List<GeneratedSequence>> again = encoded.generate(beams);
            for (int i = 0; i < inputs.size(); i++) {
                for (int k = 0; k < direct.get(i).size(); k++) {
                    assertThat(reused.get(i).get(k).tokenIds()).containsExactly(direct.get(i).get(k).tokenIds());
                    assertThat(reused.get(i).get(k).logLikelihood()).isEqualTo(direct.get(i).get(k).logLikelihood());
                    assertThat(again.get(i).get(k).logLikelihood()).isEqualTo(direct.get(i).get(k).logLikelihood());
                }
            }
            // every candidate of every input under every input, as RAG-Sequence's thorough rescoring asks
            List<Integer> rows = new java.util.ArrayList<>();
            List<int[]> targets = new java.util.ArrayList<>();
            for (List<GeneratedSequence> perInput : direct) {
                for (GeneratedSequence candidate : perInput) {
                    for (int d = 0; d < inputs.size(); d++) {
                        rows.add(d);
                        targets.add(candidate.tokenIds());
                    }
                }
            }
            double[] scored = encoded.sequenceLogLikelihood(rows.stream().mapToInt(Integer::intValue).toArray(),
                    targets);
            assertThat(scored).hasSize(targets.size());
            for (int p = 0; p < targets.size(); p++) {
                double alone = generator.sequenceLogLikelihood(List.of(inputs.get(rows.get(p))),
                        List.of(targets.get(p)))[0];
                assertThat(scored[p]).as("pair %d", p).isCloseTo(alone, Offset.offset(1e-5));
            }
        }
        assertThat(model.manager().getManagedArrays()).hasSize(before);
    }

    @Test
    void rescoringEncodesEachDistinctInputOnceAndMatchesTheGoldens() {
        List<String> inputs = GOLDENS.inputs();
        List<int[]> targets = GOLDENS.targets();
        // every input twice, each time with its own golden target: the repeats must score what the first ones do
        List<String> doubled = new java.util.ArrayList<>(inputs);
        doubled.addAll(inputs);
        List<int[]> doubledTargets = new java.util.ArrayList<>(targets);
        doubledTargets.addAll(targets);
        double[] expected = GOLDENS.targetLogLikelihood();
        double[] actual = generator.sequenceLogLikelihood(doubled, doubledTargets);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("pair %d", i).isCloseTo(expected[i % expected.length], Offset.offset(1e-4));
        }
    }

    @Test
    void generationLeavesNoArraysBehind() {
        int before = model.manager().getManagedArrays().size();
        generator.generate(GOLDENS.inputs(), settings(1, 1, EarlyStopping.FALSE, 0));
        generator.generate(GOLDENS.inputs(), settings(4, 4, EarlyStopping.NEVER, 3));
        generator.sequenceLogLikelihood(GOLDENS.inputs(), GOLDENS.targets());
        assertThat(model.manager().getManagedArrays()).hasSize(before);
        assertThat(before).isGreaterThan(0);
    }

    @Test
    void longInputsAreTruncatedToThePositionTableNotRejected() {
        String longText = String.join(" ", java.util.Collections.nCopies(80, "Paris is the capital of France."));
        int[] ids = generator.tokenize(List.of(longText))[0];
        assertThat(ids).hasSize(generator.maxInputTokens());
        assertThat(ids[0]).isEqualTo(model.config().bosTokenId());
        assertThat(ids[ids.length - 1]).isEqualTo(model.config().eosTokenId());
        assertThat(generator.generate(List.of(longText), settings(2, 1, EarlyStopping.TRUE, 0)).get(0)).hasSize(1);
    }

    @Test
    void concurrentRequestsGetTheSameAnswersAsSequentialOnes() throws Exception {
        List<String> inputs = GOLDENS.inputs();
        GenerationSettings beams = settings(3, 1, EarlyStopping.FALSE, 0);
        List<List<GeneratedSequence>> sequential = generator.generate(inputs, beams);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<GeneratedSequence>>> futures = new java.util.ArrayList<>();
            for (String input : inputs) {
                futures.add(pool.submit(() -> generator.generate(List.of(input), beams).get(0)));
            }
            for (int i = 0; i < inputs.size(); i++) {
                assertThat(futures.get(i).get().get(0).tokenIds()).containsExactly(sequential.get(i).get(0).tokenIds());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsAMaxLengthBeyondThePositionTable() {
        GenerationSettings tooLong = new GenerationSettings(1, 1, model.config().maxPositionEmbeddings() + 1, null,
                0, 1.0, EarlyStopping.FALSE, 0, null, null, 2, 2, 1);
        assertThatThrownBy(() -> generator.generate(GOLDENS.inputs(), tooLong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_position_embeddings");
    }

    @Test
    void defaultsComeFromTheFolder() {
        GenerationSettings d = generator.defaultSettings();
        assertThat(d.numBeams()).isEqualTo(4);
        assertThat(d.forcedBosTokenId()).isEqualTo(0);
        assertThat(d.decoderStartTokenId()).isEqualTo(model.config().decoderStartTokenId());
        assertThat(generator.maxInputTokens()).isEqualTo(64);
        List<GeneratedSequence> out = generator.generate(List.of("Who won the world series?"), d).get(0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).tokenIds()[0]).isEqualTo(0);
        assertThat(out.get(0).text()).isNotBlank();
    }

    @Test
    void unsupportedPrecisionsFailWithAReason() {
        assertThatThrownBy(() -> BartModel.load(BartGoldens.folder("tiny"),
                new DeviceSettings(ComputeDevice.CPU, Precision.BF16)))
                .hasMessageContaining("bfloat16");
        assertThatThrownBy(() -> BartModel.load(BartGoldens.folder("tiny"),
                new DeviceSettings(ComputeDevice.CPU, Precision.FP16)))
                .hasMessageContaining("GPU");
    }

    private static GenerationSettings settings(int beams, int returned, EarlyStopping early, int ngram) {
        return new GenerationSettings(beams, returned, 20, null, 0, 1.0, early, ngram, null, 2, 2, 2, 1);
    }

    private static int[][] columns(int[][] tokens, int from, int to) {
        return Arrays.stream(tokens).map(row -> Arrays.copyOfRange(row, from, to)).toArray(int[][]::new);
    }
}
