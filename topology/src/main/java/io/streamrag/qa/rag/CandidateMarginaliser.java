package io.streamrag.qa.rag;

/**
 * RAG-sequence marginalisation: p(y|x) = sum_d p(d|x) p(y|x,d), done in log space, and the posterior
 * p(d|x,y) = p(d|x) p(y|x,d) / p(y|x). A log-likelihood of negative infinity means "y has probability zero under
 * d" (fast decoding's assumption for a candidate that d's beam search did not produce).
 */
public final class CandidateMarginaliser {

    private CandidateMarginaliser() {
    }

    /**
     * @param logWeights log p(d|x) per document
     * @param logLikelihoods [candidate][document] log p(y|x,d)
     * @return log p(y|x) per candidate
     */
    public static double[] marginalLogLikelihoods(double[] logWeights, double[][] logLikelihoods) {
        double[] marginals = new double[logLikelihoods.length];
        for (int c = 0; c < logLikelihoods.length; c++) {
            double[] joint = new double[logWeights.length];
            for (int d = 0; d < logWeights.length; d++) {
                joint[d] = logWeights[d] + logLikelihoods[c][d];
            }
            marginals[c] = logSumExp(joint);
        }
        return marginals;
    }

    /** Index of the largest value; the first one on ties, so equal scores resolve the same way on every replay. */
    public static int best(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** p(d|x,y) for one candidate given its per-document log-likelihoods. */
    public static double[] posterior(double[] logWeights, double[] candidateLogLikelihoods) {
        double[] joint = new double[logWeights.length];
        for (int d = 0; d < joint.length; d++) {
            joint[d] = logWeights[d] + candidateLogLikelihoods[d];
        }
        double normaliser = logSumExp(joint);
        double[] posterior = new double[joint.length];
        for (int d = 0; d < joint.length; d++) {
            posterior[d] = normaliser == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(joint[d] - normaliser);
        }
        return posterior;
    }

    public static double[] log(double[] probabilities) {
        double[] logs = new double[probabilities.length];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Math.log(probabilities[i]);
        }
        return logs;
    }

    static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double value : values) {
            sum += Math.exp(value - max);
        }
        return max + Math.log(sum);
    }
}
