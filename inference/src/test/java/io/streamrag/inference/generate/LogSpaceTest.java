package io.streamrag.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The shared log-space arithmetic on values worked out by hand. */
class LogSpaceTest {

    @Test
    void logSumExpIsTheLogOfTheSumOfProbabilities() {
        assertThat(LogSpace.logSumExp(new double[] {Math.log(0.2), Math.log(0.3), Math.log(0.1)}))
                .isCloseTo(Math.log(0.6), within(1e-15));
        assertThat(LogSpace.logSumExp(new float[] {(float) Math.log(0.5f), (float) Math.log(0.25f)}))
                .isCloseTo(Math.log(0.75), within(1e-7));
    }

    @Test
    void logSumExpNeitherOverflowsNorUnderflows() {
        assertThat(LogSpace.logSumExp(new double[] {1000, 1000})).isCloseTo(1000 + Math.log(2), within(1e-12));
        assertThat(LogSpace.logSumExp(new double[] {-2000, -2000})).isCloseTo(-2000 + Math.log(2), within(1e-12));
    }

    @Test
    void negativeInfinityIsProbabilityZero() {
        assertThat(LogSpace.logSumExp(new double[] {Double.NEGATIVE_INFINITY, Math.log(0.4)}))
                .isEqualTo(Math.log(0.4));
        assertThat(LogSpace.logSumExp(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}))
                .isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(LogSpace.logSumExp(new double[0])).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void logSoftmaxAndSoftmaxNormalise() {
        // softmax(ln 3, 0) = (0.75, 0.25), shifted scores give the same
        double[] log = LogSpace.logSoftmax(new double[] {Math.log(3) + 500, 500});
        assertThat(log[0]).isCloseTo(Math.log(0.75), within(1e-12));
        assertThat(log[1]).isCloseTo(Math.log(0.25), within(1e-12));
        assertThat(LogSpace.softmax(new double[] {Math.log(3), 0})).containsExactly(new double[] {0.75, 0.25},
                within(1e-15));
        assertThat(LogSpace.logSoftmax(new float[] {(float) Math.log(3), 0f})[0])
                .isCloseTo(Math.log(0.75), within(1e-7));
        assertThat(LogSpace.softmax(new double[] {0.4})).containsExactly(1.0);
    }

    @Test
    void logSoftmaxOfLogProbabilitiesGivesThemBack() {
        double[] logs = LogSpace.log(new double[] {0.5, 0.3, 0.2, 0.0});
        assertThat(logs[3]).isEqualTo(Double.NEGATIVE_INFINITY);
        double[] again = LogSpace.logSoftmax(logs);
        for (int i = 0; i < 3; i++) {
            assertThat(again[i]).isCloseTo(logs[i], within(1e-15));
        }
        assertThat(again[3]).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void marginalAndPosteriorFollowBayes() {
        // p(d|x) = (0.75, 0.25), p(y|x,d) = (0.05, 0.03): p(y|x) = 0.045, p(d|x,y) = (5/6, 1/6)
        double[] prior = {Math.log(0.75), Math.log(0.25)};
        double[] likelihoods = {Math.log(0.05), Math.log(0.03)};
        assertThat(LogSpace.marginal(prior, likelihoods)).isCloseTo(Math.log(0.045), within(1e-12));
        assertThat(LogSpace.posterior(prior, likelihoods)).containsExactly(new double[] {5.0 / 6, 1.0 / 6},
                within(1e-12));
    }

    @Test
    void posteriorOfAnAnswerOnlyOneDocumentAllowsIsCertain() {
        double[] prior = {Math.log(0.6), Math.log(0.4)};
        assertThat(LogSpace.posterior(prior, new double[] {-3.0, Double.NEGATIVE_INFINITY}))
                .containsExactly(1.0, 0.0);
        assertThat(LogSpace.posterior(prior, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}))
                .containsExactly(0.0, 0.0);
        assertThatThrownBy(() -> LogSpace.posterior(prior, new double[] {0.0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tensorLogSumExpAgreesWithTheScalarOne() {
        double[][] rows = {{-1.5, -0.2, -3.0}, {-700, -701, -702}};
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] flat = new float[6];
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    flat[r * 3 + c] = (float) rows[r][c];
                }
            }
            float[] byRow = LogSpace.logSumExp(manager.create(flat, new Shape(2, 3)), 1).toFloatArray();
            for (int r = 0; r < 2; r++) {
                assertThat((double) byRow[r]).isCloseTo(LogSpace.logSumExp(rows[r]), within(1e-4));
            }
        }
    }
}
