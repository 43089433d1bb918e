package io.streamrag.inference.rag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.bart.BartDecoderState;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.generate.DecodingSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DecodingSession} whose rows are RAG-Token hypotheses: each row owns k decoder rows, one per retrieved
 * document of its question, laid out {@code (question, beam, document)} in one {@link BartDecoderState}. Every
 * step feeds the row's token to its k documents in one {@link BartModel#decodeStep} call for all rows, and
 * returns the mixture {@code logsumexp_d(log p(d|x) + log_softmax(logits_d))} ({@link DocumentMixture}), so
 * {@code GreedySearch} and {@code BeamSearch} run unchanged on the marginal. Reordering a row moves its k
 * caches together. Not thread-safe; closing frees every array it made.
 */
public final class RagTokenDecodingSession implements DecodingSession {
    private final BartModel model;
    private final BartDecoderState state;
    private final NDManager manager;
    private final int documents;
    private final int vocab;
    private final int eosTokenId;
    private final DocumentTrace trace;
    private NDArray logPrior;
    private int rows;
    private int rowsPerQuestion = 1;
    /** Last step's per-document log-probabilities {@code [rows, k, vocab]}, for the trace. */
    private NDArray pending;
    /** Reorder applied since {@link #pending} was computed, or null. */
    private int[] pendingSource;

    private RagTokenDecodingSession(BartModel model, BartDecoderState state, NDManager manager, NDArray logPrior,
            int documents, int eosTokenId) {
        this.model = model;
        this.state = state;
        this.manager = manager;
        this.logPrior = logPrior;
        this.documents = documents;
        this.vocab = model.config().vocabSize();
        this.eosTokenId = eosTokenId;
        this.rows = (int) logPrior.getShape().get(0);
        this.trace = new DocumentTrace(rows, documents);
    }

    /**
     * Encodes every (question, document) input once, in one encoder call, and opens a session with one row per
     * question. Every question must have the same number of documents (as Hugging Face's {@code n_docs}).
     */
    public static RagTokenDecodingSession open(BartModel model, List<RetrievedContext> contexts, int eosTokenId) {
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("no questions");
        }
        int k = contexts.get(0).documents();
        List<int[]> inputs = new ArrayList<>(contexts.size() * k);
        float[][] scores = new float[contexts.size()][];
        for (int q = 0; q < contexts.size(); q++) {
            RetrievedContext c = contexts.get(q);
            if (c.documents() != k) {
                throw new IllegalArgumentException("all questions of a batch need the same number of documents;"
                        + " question " + q + " has " + c.documents() + ", question 0 has " + k);
            }
            inputs.addAll(c.inputIds());
            scores[q] = c.docScores();
        }
        NDManager manager = model.manager().newSubManager();
        try {
            NDArray prior = DocumentMixture.logPrior(scores, manager);
            BartDecoderState state = model.encode(inputs.toArray(new int[0][]));
            return new RagTokenDecodingSession(model, state, manager, prior, k, eosTokenId);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Documents per question (k). */
    public int documents() {
        return documents;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public float[] nextTokenLogProbs(int[] tokens) {
        if (tokens.length != rows) {
            throw new IllegalArgumentException("session has " + rows + " rows, got " + tokens.length + " tokens");
        }
        trace.advance(tokens, pending == null ? null : fedTokenLogProbs(tokens));
        closePending();
        int[] perDocument = new int[rows * documents];
        for (int i = 0; i < perDocument.length; i++) {
            perDocument[i] = tokens[i / documents];
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits = model.decodeStep(state, perDocument, scope);
            NDArray docLogProbs = logits.logSoftmax(1).reshape(rows, documents, vocab);
            float[] marginal = DocumentMixture.marginalize(docLogProbs, logPrior).toFloatArray();
            trace.record(docLogProbs.get(new NDIndex(":, :, {}", eosTokenId)).toFloatArray());
            docLogProbs.attach(manager);
            pending = docLogProbs;
            return marginal;
        }
    }

    @Override
    public void expandRows(int copies) {
        int[] source = new int[rows * copies];
        for (int i = 0; i < source.length; i++) {
            source[i] = i / copies;
        }
        state.selectRows(perDocument(source));
        try (NDManager scope = manager.newSubManager()) {
            NDArray expanded = logPrior.get(scope.create(toLongs(source)));
            expanded.attach(manager);
            logPrior.close();
            logPrior = expanded;
        }
        trace.expand(copies);
        followReorder(source);
        rows *= copies;
        rowsPerQuestion *= copies;
    }

    @Override
    public void reorderRows(int[] sourceRows) {
        if (sourceRows.length != rows) {
            throw new IllegalArgumentException("reorder needs " + rows + " rows, got " + sourceRows.length);
        }
        // Beam search keeps every hypothesis within its question, so the cross-attention state (the question's k
        // documents) is already right for the target row and only the self-attention caches move.
        state.reorderSelfAttention(perDocument(sourceRows));
        trace.reorder(sourceRows);
        followReorder(sourceRows);
    }

    /**
     * Per document {@code log p(y | x, d) = sum_t log p(y_t | y_<t, x, d)} of a hypothesis this session's search
     * finished for {@code question}, read from the steps already decoded: the prefix sums recorded at the step
     * where {@code y_<n} was the row's prefix, plus that step's term for the last token (EOS, recorded every step;
     * any other last token ends at the maximum length, i.e. at the last step, whose log-probabilities are kept).
     *
     * @param generated ids without the decoder start token, as the search returns them
     */
    public double[] docLogLikelihoods(int question, int[] generated) {
        if (generated.length == 0) {
            throw new IllegalArgumentException("empty hypothesis");
        }
        int step = generated.length - 1;
        int from = question * rowsPerQuestion;
        int row = trace.findRow(step, from, from + rowsPerQuestion, generated);
        int last = generated[generated.length - 1];
        boolean lastIsEos = last == eosTokenId;
        if (row < 0 || (!lastIsEos && (step != trace.lastStep() || pendingSource != null))) {
            throw new IllegalStateException("hypothesis of question " + question + " (" + generated.length
                    + " tokens) was not decoded by this session's rows");
        }
        double[] sums = trace.prefixLogLikelihoods(step, row);
        double[] lastTerm = lastIsEos ? trace.eosLogProbs(step, row) : lastStepLogProbs(row, last);
        for (int d = 0; d < documents; d++) {
            sums[d] += lastTerm[d];
        }
        return sums;
    }

    @Override
    public void close() {
        try {
            state.close();
        } finally {
            manager.close();
        }
    }

    /** {@code pending[source[r], d, tokens[r]]} per row and document: the fed tokens' per-document terms. */
    private float[] fedTokenLogProbs(int[] tokens) {
        // an op's result belongs to its first operand's manager (here the session's): attach each to the scope
        try (NDManager scope = manager.newSubManager()) {
            NDArray stepRows = pending;
            if (pendingSource != null) {
                stepRows = pending.get(scope.create(toLongs(pendingSource)));
                stepRows.attach(scope);
            }
            long[] index = new long[rows * documents];
            for (int i = 0; i < index.length; i++) {
                index[i] = tokens[i / documents];
            }
            NDArray picked = stepRows.gather(scope.create(index, new Shape(rows, documents, 1)), 2);
            picked.attach(scope);
            return picked.toFloatArray();
        }
    }

    private double[] lastStepLogProbs(int row, int token) {
        float[] values;
        try (NDManager scope = manager.newSubManager()) {
            NDArray picked = pending.get(new NDIndex("{}, :, {}", row, token));
            picked.attach(scope);
            values = picked.toFloatArray();
        }
        double[] out = new double[documents];
        for (int d = 0; d < documents; d++) {
            out[d] = values[d];
        }
        return out;
    }

    private void followReorder(int[] source) {
        if (pending == null) {
            return;
        }
        if (pendingSource == null) {
            pendingSource = source.clone();
        } else {
            int[] composed = new int[source.length];
            for (int i = 0; i < source.length; i++) {
                composed[i] = pendingSource[source[i]];
            }
            pendingSource = composed;
        }
    }

    private void closePending() {
        if (pending != null) {
            pending.close();
            pending = null;
            pendingSource = null;
        }
    }

    /** Row {@code r}'s source becomes its k decoder rows' sources. */
    private int[] perDocument(int[] source) {
        int[] out = new int[source.length * documents];
        for (int i = 0; i < out.length; i++) {
            out[i] = source[i / documents] * documents + i % documents;
        }
        return out;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
