package io.streamrag.inference.generate;

/**
 * What a search strategy needs from a sequence-to-sequence model for one request: rows of hypotheses that advance
 * one token at a time, over an input that was encoded once. Implemented by BART
 * ({@code io.streamrag.inference.bart.BartDecodingSession}); a RAG-Token decoder can implement it over k documents.
 * Not thread-safe.
 */
public interface DecodingSession extends AutoCloseable {

    /** Hypotheses decoded in parallel; initially one per input. */
    int rows();

    int vocabSize();

    /**
     * Feeds {@code tokens[row]} to every row at the next position and returns each row's next-token
     * log-probabilities (log_softmax of the model's logits), row-major {@code [rows * vocabSize]}.
     */
    float[] nextTokenLogProbs(int[] tokens);

    /** Repeats every row {@code copies} times in place: rows {@code [a, b]} become {@code [a, a, b, b]} for 2. */
    void expandRows(int copies);

    /**
     * Makes row {@code i} continue old row {@code sourceRows[i]}'s hypothesis. Beam search only: every source row
     * belongs to the same input as its target row.
     */
    void reorderRows(int[] sourceRows);

    @Override
    void close();
}
