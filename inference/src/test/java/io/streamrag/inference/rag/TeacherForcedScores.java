package io.streamrag.inference.rag;

/**
 * Teacher-forced RAG-Token scores, per question ({@link RagTokenTeacherForcing}).
 *
 * @param tokenLogProbs per target token the marginal {@code log p(y_t | y_<t, x)}
 * @param docLogLikelihoods per document {@code log p(y | x, d)}
 */
record TeacherForcedScores(double[][] tokenLogProbs, double[][] docLogLikelihoods) {

    /** The marginal {@code sum_t log p(y_t | y_<t, x)} of question {@code q}'s target. */
    double logLikelihood(int q) {
        double sum = 0;
        for (double v : tokenLogProbs[q]) {
            sum += v;
        }
        return sum;
    }
}
