package io.streamrag.inference.rag;

import io.streamrag.inference.generate.LogSpace;
import java.util.List;

/**
 * One question after retrieval, as text: per retrieved passage its generator input
 * ({@code "title / passage // question"}, formatted by the caller) and the retrieval scores, Hugging Face's
 * {@code doc_scores}, which every mode log-softmaxes into {@code log p(d | x)} (so log-probabilities that already
 * sum to 1 pass through unchanged). {@link RetrievedContext} is the same as token ids.
 *
 * @param docScores one per passage; negative infinity is a passage of prior 0, but at least one must be finite
 */
public record RagQuestion(List<String> passageInputs, double[] docScores) {

    public RagQuestion {
        passageInputs = List.copyOf(passageInputs);
        docScores = docScores.clone();
        requireUsable(passageInputs.size(), docScores);
    }

    public int documents() {
        return passageInputs.size();
    }

    /** {@code log p(d | x) = log_softmax(doc_scores)}. */
    public double[] logPrior() {
        return LogSpace.logSoftmax(docScores);
    }

    /** The checks of {@link RagQuestion} and {@link RetrievedContext}: a prior can be computed from the scores. */
    static void requireUsable(int documents, double[] docScores) {
        if (documents == 0) {
            throw new IllegalArgumentException("a question needs at least one retrieved document");
        }
        if (docScores.length != documents) {
            throw new IllegalArgumentException(documents + " documents but " + docScores.length + " doc scores");
        }
        boolean anyFinite = false;
        for (double s : docScores) {
            if (Double.isNaN(s) || s == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("doc scores must be finite or negative infinity, got " + s);
            }
            anyFinite |= Double.isFinite(s);
        }
        if (!anyFinite) {
            throw new IllegalArgumentException("at least one doc score must be finite");
        }
    }
}
