package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.generate.TeacherForcedBatch;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teacher-forced {@code sum_t log p(target_t | target_<t, input)} on a {@link BartModel}, batched: the decoder
 * input layout is {@link TeacherForcedBatch}'s; this class encodes, decodes and gathers. Pairs are scored in chunks
 * so that no logits tensor exceeds {@value #LOGITS_BUDGET} elements. Thread-safe as the model is.
 */
public final class BartTeacherForcing {
    /** Most logits elements one teacher-forced pass may hold (64 MiB of fp32). */
    private static final long LOGITS_BUDGET = 16L << 20;

    private BartTeacherForcing() {
    }

    /**
     * One log-likelihood per (input, target) pair; each distinct input is encoded once, however many targets it is
     * paired with. Targets are generated ids without the decoder start token.
     */
    public static double[] logLikelihoods(BartModel model, int[][] inputIds, List<int[]> targets) {
        return logLikelihoods(model, inputIds, targets, LOGITS_BUDGET);
    }

    /** As above with an explicit logits budget (elements); tests use a small one to force chunking. */
    static double[] logLikelihoods(BartModel model, int[][] inputIds, List<int[]> targets, long logitsBudget) {
        if (inputIds.length != targets.size()) {
            throw new IllegalArgumentException(inputIds.length + " inputs but " + targets.size() + " targets");
        }
        Map<List<Integer>, Integer> distinct = new LinkedHashMap<>();
        int[] rows = new int[inputIds.length];
        for (int i = 0; i < inputIds.length; i++) {
            rows[i] = distinct.computeIfAbsent(Arrays.stream(inputIds[i]).boxed().toList(), k -> distinct.size());
        }
        int[][] distinctIds = new int[distinct.size()][];
        for (int i = 0; i < inputIds.length; i++) {
            distinctIds[rows[i]] = inputIds[i];
        }
        try (BartDecoderState encoded = model.encode(distinctIds)) {
            return logLikelihoods(model, encoded, rows, targets, logitsBudget);
        }
    }

    /**
     * The pairs ({@code encoded} row {@code rows[i]}, {@code targets[i]}) from encoder states computed before (by
     * {@link BartModel#encode}, never decoded from): the rows are copied out for each chunk, the encoder does not
     * run again. {@code encoded} is left as it is.
     */
    public static double[] logLikelihoods(BartModel model, BartDecoderState encoded, int[] rows,
            List<int[]> targets) {
        return logLikelihoods(model, encoded, rows, targets, LOGITS_BUDGET);
    }

    private static double[] logLikelihoods(BartModel model, BartDecoderState encoded, int[] rows,
            List<int[]> targets, long logitsBudget) {
        if (rows.length != targets.size()) {
            throw new IllegalArgumentException(rows.length + " rows but " + targets.size() + " targets");
        }
        if (encoded.length() != 0) {
            throw new IllegalArgumentException("teacher forcing needs an encoder state with nothing decoded yet, got "
                    + encoded.length() + " cached positions");
        }
        int vocab = model.config().vocabSize();
        double[] sums = new double[rows.length];
        int from = 0;
        while (from < rows.length) {
            int to = from + 1;
            int width = Math.max(1, targets.get(from).length);
            while (to < rows.length) {
                int wider = Math.max(width, targets.get(to).length);
                if ((long) (to + 1 - from) * wider * vocab > logitsBudget) {
                    break;
                }
                width = wider;
                to++;
            }
            double[] chunk = score(model, encoded, Arrays.copyOfRange(rows, from, to), targets.subList(from, to));
            System.arraycopy(chunk, 0, sums, from, chunk.length);
            from = to;
        }
        return sums;
    }

    private static double[] score(BartModel model, BartDecoderState encoded, int[] rows, List<int[]> targets) {
        TeacherForcedBatch batch = TeacherForcedBatch.of(targets, model.config().decoderStartTokenId(),
                model.config().padTokenId());
        try (BartDecoderState state = encoded.copyRows(rows); NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.decode(state, batch.decoderInputs(), scope);
            NDArray index = scope.create(batch.gatherIndex(), new Shape(batch.rows(), batch.width(), 1));
            return batch.rowSums(logits.logSoftmax(2).gather(index, 2).toFloatArray());
        }
    }
}
