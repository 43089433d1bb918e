package io.streamrag.inference.bart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.GeneratedSequence;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java BART against outputs of Hugging Face transformers on the same tiny checkpoint (fp32, CPU). */
class BartGoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final BartGoldens GOLDENS = BartGoldens.load();
    private static BartGenerator generator;

    @BeforeAll
    static void open() throws Exception {
        generator = BartGenerator.open(BartGoldens.folder("tiny"), DeviceSettings.CPU_FP32);
    }

    @AfterAll
    static void close() {
        generator.close();
    }

    @Test
    void tokenizesLikeHuggingFace() {
        assertThat(generator.tokenize(GOLDENS.inputs())).isDeepEqualTo(GOLDENS.inputIds());
    }

    @Test
    void encoderHiddenStatesMatch() {
        try (NDManager out = NDManager.newBaseManager(Device.cpu())) {
            NDArray hidden = generator.model().encoderHiddenStates(GOLDENS.inputIds(), out);
            assertClose(hidden.toFloatArray(), GOLDENS.flat("encoder_hidden_states"), TOLERANCE);
        }
    }

    @Test
    void teacherForcedLogitsMatch() {
        assertClose(teacherForcedLogits(generator.model()), GOLDENS.flat("logits"), TOLERANCE);
    }

    @Test
    void checkpointStoringTheTiedEmbeddingOnceGivesTheSameLogits() throws Exception {
        try (BartModel once = BartModel.load(BartGoldens.folder("tiny-tied-once"), DeviceSettings.CPU_FP32)) {
            assertClose(teacherForcedLogits(once), GOLDENS.flat("logits"), TOLERANCE);
        }
    }

    @Test
    void halfPrecisionCheckpointsAreWidenedExactly() throws Exception {
        try (BartModel f16 = BartModel.load(BartGoldens.folder("tiny-f16"), DeviceSettings.CPU_FP32);
                BartModel bf16 = BartModel.load(BartGoldens.folder("tiny-bf16"), DeviceSettings.CPU_FP32)) {
            assertClose(teacherForcedLogits(f16), GOLDENS.flat("logits_f16_weights"), TOLERANCE);
            assertClose(teacherForcedLogits(bf16), GOLDENS.flat("logits_bf16_weights"), TOLERANCE);
        }
    }

    @Test
    void sequenceLogLikelihoodMatchesTeacherForcing() {
        double[] expected = GOLDENS.targetLogLikelihood();
        double[] actual = generator.sequenceLogLikelihood(GOLDENS.inputs(), GOLDENS.targets());
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("target %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }

    static Stream<BartGoldens.GenerateCase> generateCases() {
        return GOLDENS.generateCases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generateCases")
    void generateMatchesHuggingFace(BartGoldens.GenerateCase golden) {
        List<List<GeneratedSequence>> actual = generator.generate(GOLDENS.inputs(), golden.settings());
        assertThat(actual).hasSameSizeAs(golden.outputs());
        for (int b = 0; b < actual.size(); b++) {
            List<BartGoldens.Hypothesis> expected = golden.outputs().get(b);
            assertThat(actual.get(b)).as("input %d", b).hasSameSizeAs(expected);
            for (int k = 0; k < expected.size(); k++) {
                GeneratedSequence seq = actual.get(b).get(k);
                BartGoldens.Hypothesis want = expected.get(k);
                String where = golden.name() + " input " + b + " hypothesis " + k;
                assertThat(seq.tokenIds()).as(where + " ids").containsExactly(want.ids());
                assertThat(seq.score()).as(where + " score")
                        .isCloseTo(want.score(), org.assertj.core.data.Offset.offset(TOLERANCE));
                assertThat(seq.logLikelihood()).as(where + " log-likelihood")
                        .isCloseTo(want.logLikelihood(), org.assertj.core.data.Offset.offset(TOLERANCE));
                assertThat(seq.text()).as(where + " text").isEqualTo(want.text());
            }
        }
    }

    private static float[] teacherForcedLogits(BartModel model) {
        try (BartDecoderState state = model.encode(GOLDENS.inputIds());
                NDManager out = NDManager.newBaseManager(Device.cpu())) {
            return model.decode(state, GOLDENS.decoderInputIds(), out).toFloatArray();
        }
    }

    static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst).as("max |delta| (at flat index %d)", at).isLessThan(tolerance);
    }
}
