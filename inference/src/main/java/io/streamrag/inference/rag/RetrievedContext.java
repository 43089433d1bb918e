package io.streamrag.inference.rag;

import io.streamrag.inference.generate.LogSpace;
import java.util.List;

/**
 * One question's generator inputs after retrieval, as Hugging Face's {@code context_input_ids} and
 * {@code doc_scores}: k token-id rows, each {@code "<s>title / passage // question</s>"}, and the k retrieval scores
 * (raw, e.g. inner products; log-softmaxed into p(d | x) here). {@link RagQuestion} is the same as text.
 *
 * @param docScores one per document; negative infinity is a document of prior 0, but at least one must be finite
 */
public record RetrievedContext(List<int[]> inputIds, float[] docScores) {

    public RetrievedContext {
        inputIds = List.copyOf(inputIds);
        docScores = docScores.clone();
        double[] wide = new double[docScores.length];
        for (int d = 0; d < wide.length; d++) {
            wide[d] = docScores[d];
        }
        RagQuestion.requireUsable(inputIds.size(), wide);
    }

    public int documents() {
        return inputIds.size();
    }

    /** {@code log p(d | x) = log_softmax(doc_scores)}, in double. */
    public double[] logPrior() {
        return LogSpace.logSoftmax(docScores);
    }
}
