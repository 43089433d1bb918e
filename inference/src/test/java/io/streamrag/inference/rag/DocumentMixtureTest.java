package io.streamrag.inference.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.generate.LogSpace;
import org.junit.jupiter.api.Test;

/**
 * The marginalisation on a toy question: 2 documents, a 5-token vocabulary, with probabilities chosen so that
 * every expected value can be worked out by hand.
 *
 * <pre>
 * p(d|x)        = softmax([ln 3, 0])               = [0.75, 0.25]
 * p(.|x,d=0)    = [0.5, 0.2,  0.1,   0.1,  0.1 ]
 * p(.|x,d=1)    = [0.1, 0.1,  0.2,   0.3,  0.3 ]
 * p(.|x)        = 0.75 p0 + 0.25 p1 = [0.4, 0.175, 0.125, 0.15, 0.15]
 * </pre>
 */
class DocumentMixtureTest {
    private static final float[] DOC0 = {0.5f, 0.2f, 0.1f, 0.1f, 0.1f};
    private static final float[] DOC1 = {0.1f, 0.1f, 0.2f, 0.3f, 0.3f};
    private static final float[] SCORES = {(float) Math.log(3), 0f};

    @Test
    void priorIsTheSoftmaxOfTheDocScores() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] prior = DocumentMixture.logPrior(new float[][] {SCORES}, manager).toFloatArray();
            assertThat(Math.exp(prior[0])).isCloseTo(0.75, within(1e-6));
            assertThat(Math.exp(prior[1])).isCloseTo(0.25, within(1e-6));
        }
    }

    @Test
    void marginalIsThePriorWeightedMixture() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray docLogProbs = manager.create(concat(log(DOC0), log(DOC1)), new Shape(1, 2, 5));
            NDArray prior = DocumentMixture.logPrior(new float[][] {SCORES}, manager);
            float[] marginal = DocumentMixture.marginalize(docLogProbs, prior).toFloatArray();
            double[] expected = {0.4, 0.175, 0.125, 0.15, 0.15};
            assertThat(marginal).hasSize(5);
            for (int v = 0; v < 5; v++) {
                assertThat(Math.exp(marginal[v])).as("token %d", v).isCloseTo(expected[v], within(1e-6));
            }
        }
    }

    @Test
    void marginalKeepsTrailingAxesAndRowsApart() {
        // two rows: the toy question and the same documents with the prior swapped; plus a time axis of length 1
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] rows = concat(concat(log(DOC0), log(DOC1)), concat(log(DOC0), log(DOC1)));
            NDArray docLogProbs = manager.create(rows, new Shape(2, 2, 1, 5));
            NDArray prior = DocumentMixture.logPrior(new float[][] {SCORES, {0f, (float) Math.log(3)}}, manager);
            NDArray marginal = DocumentMixture.marginalize(docLogProbs, prior);
            assertThat(marginal.getShape()).isEqualTo(new Shape(2, 1, 5));
            float[] values = marginal.toFloatArray();
            // swapped prior: 0.25 p0 + 0.75 p1 = [0.2, 0.125, 0.175, 0.25, 0.25]
            double[] expected = {0.4, 0.175, 0.125, 0.15, 0.15, 0.2, 0.125, 0.175, 0.25, 0.25};
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.exp(values[i])).as("entry %d", i).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    @Test
    void posteriorOfAnAnswerWeighsPriorByLikelihood() {
        // y = [token 0, token 3]: p(y|d0) = 0.5 * 0.1 = 0.05, p(y|d1) = 0.1 * 0.3 = 0.03;
        // joint 0.75 * 0.05 = 0.0375 and 0.25 * 0.03 = 0.0075, so p(d|x,y) = [5/6, 1/6]
        double[] logPrior = LogSpace.logSoftmax(SCORES);
        double[] docLogLikelihoods = {Math.log(0.05), Math.log(0.03)};
        double[] posterior = LogSpace.posterior(logPrior, docLogLikelihoods);
        assertThat(posterior[0]).isCloseTo(5.0 / 6, within(1e-6));
        assertThat(posterior[1]).isCloseTo(1.0 / 6, within(1e-6));
    }

    @Test
    void posteriorSurvivesVeryUnlikelyAnswers() {
        double[] posterior = LogSpace.posterior(new double[] {Math.log(0.5), Math.log(0.5)},
                new double[] {-2000, -2000 - Math.log(4)});
        assertThat(posterior[0]).isCloseTo(0.8, within(1e-9));
        assertThat(posterior[1]).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void questionsOfABatchMustHaveEqualDocumentCounts() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertThatThrownBy(() -> DocumentMixture.logPrior(new float[][] {{1f, 2f}, {1f}}, manager))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("question 1");
        }
    }

    private static float[] log(float[] p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.log(p[i]);
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
