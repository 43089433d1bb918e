package io.streamrag.inference.rag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.bart.BartDecoderState;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.generate.DecodingSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RAG-Token without any cache, for checking the cached session: every step re-encodes each row's k documents and
 * runs the decoder over the row's whole prefix, then marginalises the last position. Rows only remember their
 * question and prefix, so expanding and reordering cannot go wrong here.
 */
final class RecomputingRagTokenSession implements DecodingSession {
    private final BartModel model;
    private final List<RetrievedContext> contexts;
    private int[] question;
    private int[][] prefixes;

    RecomputingRagTokenSession(BartModel model, List<RetrievedContext> contexts) {
        this.model = model;
        this.contexts = contexts;
        this.question = new int[contexts.size()];
        this.prefixes = new int[contexts.size()][0];
        for (int q = 0; q < question.length; q++) {
            question[q] = q;
        }
    }

    @Override
    public int rows() {
        return question.length;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public float[] nextTokenLogProbs(int[] tokens) {
        for (int r = 0; r < tokens.length; r++) {
            prefixes[r] = Arrays.copyOf(prefixes[r], prefixes[r].length + 1);
            prefixes[r][prefixes[r].length - 1] = tokens[r];
        }
        int k = contexts.get(0).documents();
        int rows = question.length;
        List<int[]> inputs = new ArrayList<>();
        int[][] decoderTokens = new int[rows * k][];
        float[][] scores = new float[rows][];
        for (int r = 0; r < rows; r++) {
            RetrievedContext c = contexts.get(question[r]);
            scores[r] = c.docScores();
            for (int d = 0; d < k; d++) {
                inputs.add(c.inputIds().get(d));
                decoderTokens[r * k + d] = prefixes[r];
            }
        }
        try (BartDecoderState state = model.encode(inputs.toArray(new int[0][]));
                NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.decode(state, decoderTokens, scope);
            int length = prefixes[0].length;
            NDArray last = logits.get(":, {}, :", length - 1).logSoftmax(1).reshape(rows, k, vocabSize());
            return DocumentMixture.marginalize(last, DocumentMixture.logPrior(scores, scope)).toFloatArray();
        }
    }

    @Override
    public void expandRows(int copies) {
        int[] q = new int[question.length * copies];
        int[][] p = new int[q.length][];
        for (int i = 0; i < q.length; i++) {
            q[i] = question[i / copies];
            p[i] = prefixes[i / copies];
        }
        question = q;
        prefixes = p;
    }

    @Override
    public void reorderRows(int[] sourceRows) {
        int[][] p = new int[sourceRows.length][];
        for (int i = 0; i < p.length; i++) {
            if (question[sourceRows[i]] != question[i]) {
                throw new IllegalArgumentException("row " + i + " moved to another question");
            }
            p[i] = prefixes[sourceRows[i]];
        }
        prefixes = p;
    }

    @Override
    public void close() {
    }
}
