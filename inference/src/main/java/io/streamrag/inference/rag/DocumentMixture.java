package io.streamrag.inference.rag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.generate.LogSpace;

/**
 * The RAG-Token arithmetic, Hugging Face's {@code RagTokenForGeneration.marginalize}: per hypothesis, the next-token
 * distribution is the mixture of the k documents' distributions weighted by the retrieval prior,
 * {@code log p(y_t | x, y_<t) = logsumexp_d( log p(d | x) + log p(y_t | x, d, y_<t) )}, with
 * {@code log p(d | x) = log_softmax(doc_scores)} over the k documents of a question. Everything stays on the device;
 * the arithmetic is {@link LogSpace}'s, and so is the posterior {@code p(d | x, y)} computed from the results.
 */
public final class DocumentMixture {

    private DocumentMixture() {
    }

    /** {@code log_softmax} of the retrieval scores per question: {@code [questions, k]} float32, in {@code out}. */
    public static NDArray logPrior(float[][] docScores, NDManager out) {
        int k = docScores[0].length;
        float[] flat = new float[docScores.length * k];
        for (int q = 0; q < docScores.length; q++) {
            if (docScores[q].length != k) {
                throw new IllegalArgumentException("every question needs " + k + " doc scores; question " + q
                        + " has " + docScores[q].length);
            }
            System.arraycopy(docScores[q], 0, flat, q * k, k);
        }
        try (NDManager scope = out.newSubManager()) {
            NDArray prior = scope.create(flat, new Shape(docScores.length, k)).logSoftmax(1);
            prior.attach(out);
            return prior;
        }
    }

    /**
     * @param docLogProbs per-document log-probabilities {@code [rows, k, ...]} (log_softmax over the vocabulary)
     * @param logPrior {@code [rows, k]}, from {@link #logPrior}
     * @return the marginal {@code [rows, ...]}, in {@code docLogProbs}' manager
     */
    public static NDArray marginalize(NDArray docLogProbs, NDArray logPrior) {
        Shape shape = docLogProbs.getShape();
        long[] priorShape = new long[shape.dimension()];
        java.util.Arrays.fill(priorShape, 1);
        priorShape[0] = shape.get(0);
        priorShape[1] = shape.get(1);
        NDArray joint = docLogProbs.add(logPrior.reshape(new Shape(priorShape)));
        return LogSpace.logSumExp(joint, 1);
    }
}
