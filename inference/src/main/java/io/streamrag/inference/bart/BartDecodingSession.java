package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.generate.DecodingSession;

/** A {@link DecodingSession} over one {@link BartDecoderState}: one cached decoder step per call. */
public final class BartDecodingSession implements DecodingSession {
    private final BartModel model;
    private final BartDecoderState state;

    /** Takes ownership of {@code state}; closing the session closes it. */
    public BartDecodingSession(BartModel model, BartDecoderState state) {
        this.model = model;
        this.state = state;
    }

    /** The cache underneath, for callers mixing steps with multi-token {@link BartModel#decode} calls. */
    public BartDecoderState state() {
        return state;
    }

    @Override
    public int rows() {
        return state.rows();
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public float[] nextTokenLogProbs(int[] tokens) {
        try (NDManager scope = state.manager().newSubManager()) {
            NDArray logits = model.decodeStep(state, tokens, scope);
            return logits.logSoftmax(1).toFloatArray();
        }
    }

    @Override
    public void expandRows(int copies) {
        int[] rows = new int[state.rows() * copies];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / copies;
        }
        state.selectRows(rows);
    }

    @Override
    public void reorderRows(int[] sourceRows) {
        state.reorderSelfAttention(sourceRows);
    }

    @Override
    public void close() {
        state.close();
    }
}
