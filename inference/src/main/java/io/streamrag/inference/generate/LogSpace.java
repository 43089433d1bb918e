package io.streamrag.inference.generate;

import ai.djl.ndarray.NDArray;

/**
 * Probabilities in log space, the one place that computes them: {@code log sum exp}, {@code log_softmax} and the
 * document posterior of RAG. Every sum is shifted by its maximum, as {@code torch.logsumexp} is, so large scores
 * cannot overflow and tiny probabilities do not underflow. An entry of negative infinity is probability 0; a slice
 * that is all negative infinity has {@code log sum exp} negative infinity (nothing is normalised by it).
 */
public final class LogSpace {

    private LogSpace() {
    }

    /** {@code log sum_i exp(values[i])}. */
    public static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** {@code log sum_i exp(values[i])} of float values, in double. */
    public static double logSumExp(float[] values) {
        return logSumExp(widen(values));
    }

    /**
     * {@code log sum_i exp(x_i)} over one axis of a tensor, on its device (DJL has no logsumexp). At least one entry
     * per slice must be finite; the result belongs to {@code x}'s manager.
     */
    public static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true);
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /** {@code log_softmax(scores)}: {@code scores[i] - log sum exp(scores)}. */
    public static double[] logSoftmax(double[] scores) {
        double normaliser = logSumExp(scores);
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] - normaliser;
        }
        return out;
    }

    /** {@code log_softmax} of float scores (retrieval scores as Hugging Face's {@code doc_scores}), in double. */
    public static double[] logSoftmax(float[] scores) {
        return logSoftmax(widen(scores));
    }

    /** {@code softmax(scores)}, through {@link #logSoftmax}. */
    public static double[] softmax(double[] scores) {
        double[] out = logSoftmax(scores);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(out[i]);
        }
        return out;
    }

    /** Natural logarithms of probabilities; 0 becomes negative infinity. */
    public static double[] log(double[] probabilities) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.log(probabilities[i]);
        }
        return out;
    }

    /**
     * {@code log sum_d exp(logPrior[d] + logLikelihoods[d])}: a marginal such as RAG-Sequence's
     * {@code log p(y|x) = log sum_d p(d|x) p(y|x,d)}.
     */
    public static double marginal(double[] logPrior, double[] logLikelihoods) {
        return logSumExp(joint(logPrior, logLikelihoods));
    }

    /**
     * The posterior {@code p(d|x,y) = p(d|x) p(y|x,d) / p(y|x)} per document. Where every joint term is negative
     * infinity (y impossible under every document) every posterior is 0.
     */
    public static double[] posterior(double[] logPrior, double[] logLikelihoods) {
        double[] joint = joint(logPrior, logLikelihoods);
        double normaliser = logSumExp(joint);
        double[] out = new double[joint.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = normaliser == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(joint[d] - normaliser);
        }
        return out;
    }

    private static double[] joint(double[] logPrior, double[] logLikelihoods) {
        if (logPrior.length != logLikelihoods.length) {
            throw new IllegalArgumentException(logPrior.length + " prior terms but " + logLikelihoods.length
                    + " likelihoods");
        }
        double[] joint = new double[logPrior.length];
        for (int d = 0; d < joint.length; d++) {
            joint[d] = logPrior[d] + logLikelihoods[d];
        }
        return joint;
    }

    private static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
