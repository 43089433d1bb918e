package io.streamrag.inference.rag;

import java.util.List;

/**
 * One question's generator inputs after retrieval, as Hugging Face's {@code context_input_ids} and
 * {@code doc_scores}: k token-id rows, each {@code "<s>title / passage // question</s>"} (the same inputs as
 * RAG-Sequence), and the k retrieval scores (raw, e.g. inner products; log-softmaxed into p(d | x) here).
 */
public record RetrievedContext(List<int[]> inputIds, float[] docScores) {

    public RetrievedContext {
        inputIds = List.copyOf(inputIds);
        if (inputIds.isEmpty()) {
            throw new IllegalArgumentException("a question needs at least one retrieved document");
        }
        if (docScores.length != inputIds.size()) {
            throw new IllegalArgumentException(inputIds.size() + " documents but " + docScores.length + " doc scores");
        }
        for (float s : docScores) {
            if (!Float.isFinite(s)) {
                throw new IllegalArgumentException("doc scores must be finite, got " + s);
            }
        }
        docScores = docScores.clone();
    }

    public int documents() {
        return inputIds.size();
    }
}
