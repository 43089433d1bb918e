package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RAG-Token against Hugging Face's {@code RagTokenForGeneration} on the tiny BART, 2 questions x 3 documents. */
class RagTokenGoldenTest {
    private static final double TOLERANCE = 1e-4;
    private static final RagTokenGoldens GOLDENS = RagTokenGoldens.load();
    private static BartGenerator bart;
    private static RagTokenGenerator rag;

    @BeforeAll
    static void open() throws Exception {
        bart = BartGenerator.open(RagTokenGoldens.tinyBart(), DeviceSettings.CPU_FP32);
        rag = new RagTokenGenerator(bart);
    }

    @AfterAll
    static void close() {
        bart.close();
    }

    @Test
    void generatorInputsTokenizeLikeHuggingFace() {
        List<RetrievedContext> contexts = GOLDENS.contexts();
        List<List<String>> inputs = GOLDENS.inputs();
        for (int q = 0; q < inputs.size(); q++) {
            assertThat(bart.tokenize(inputs.get(q))).isDeepEqualTo(contexts.get(q).inputIds().toArray(new int[0][]));
        }
    }

    @Test
    void teacherForcedMarginalLogProbsMatch() {
        TeacherForcedScores scores = RagTokenTeacherForcing.score(bart.model(), GOLDENS.contexts(),
                GOLDENS.teacherForcedTargets(), 2);
        double[][] expected = GOLDENS.teacherForcedTokenLogProbs();
        double[][] expectedDocs = GOLDENS.teacherForcedDocLogLikelihoods();
        for (int q = 0; q < expected.length; q++) {
            assertThat(scores.tokenLogProbs()[q]).hasSameSizeAs(expected[q]);
            for (int t = 0; t < expected[q].length; t++) {
                assertThat(scores.tokenLogProbs()[q][t]).as("question %d token %d", q, t)
                        .isCloseTo(expected[q][t], within(TOLERANCE));
            }
            for (int d = 0; d < expectedDocs[q].length; d++) {
                assertThat(scores.docLogLikelihoods()[q][d]).isCloseTo(expectedDocs[q][d], within(TOLERANCE));
            }
        }
    }

    static Stream<RagTokenGoldens.GenerateCase> cases() {
        return GOLDENS.generateCases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generateMatchesHuggingFace(RagTokenGoldens.GenerateCase c) {
        List<List<RagHypothesis>> got = rag.generateIds(GOLDENS.contexts(), c.settings());
        assertThat(got).hasSameSizeAs(c.outputs());
        for (int q = 0; q < got.size(); q++) {
            List<RagTokenGoldens.Hypothesis> expected = c.outputs().get(q);
            assertThat(got.get(q)).as("question %d", q).hasSameSizeAs(expected);
            for (int h = 0; h < expected.size(); h++) {
                RagHypothesis actual = got.get(q).get(h);
                RagTokenGoldens.Hypothesis want = expected.get(h);
                String where = "question " + q + " hypothesis " + h;
                assertThat(actual.sequence().tokenIds()).as(where).containsExactly(want.ids());
                assertThat(actual.sequence().text()).as(where).isEqualTo(want.text());
                assertThat(actual.sequence().score()).as(where + " score").isCloseTo(want.score(), within(TOLERANCE));
                assertThat(actual.sequence().logLikelihood()).as(where + " marginal log-likelihood")
                        .isCloseTo(want.logLikelihood(), within(TOLERANCE));
                for (int d = 0; d < want.docPosterior().length; d++) {
                    assertThat(actual.docLogLikelihoods()[d]).as(where + " doc " + d + " log-likelihood")
                            .isCloseTo(want.docLogLikelihoods()[d], within(TOLERANCE));
                    assertThat(actual.docPosterior()[d]).as(where + " doc " + d + " posterior")
                            .isCloseTo(want.docPosterior()[d], within(TOLERANCE));
                }
            }
        }
    }
}
