package io.streamrag.inference.generate;

import java.util.Arrays;
import java.util.List;

/**
 * The decoder side of teacher forcing, written once for every model and RAG mode: row r's decoder reads the
 * decoder start token then {@code target[0 .. n-2]} and is scored at {@code target[0 .. n-1]}. Rows are
 * right-padded to one width (at least 1) with the pad token; causality keeps the padding out of earlier positions.
 *
 * @param decoderInputs {@code [rows][width]} decoder input ids
 * @param targets the targets, ids without the decoder start token (as searches return them)
 * @param width positions per row
 */
public record TeacherForcedBatch(int[][] decoderInputs, List<int[]> targets, int width) {

    /** Lays out {@code targets} behind {@code decoderStartTokenId}, padded with {@code padTokenId}. */
    public static TeacherForcedBatch of(List<int[]> targets, int decoderStartTokenId, int padTokenId) {
        int width = 1;
        for (int[] t : targets) {
            width = Math.max(width, t.length);
        }
        int[][] inputs = new int[targets.size()][width];
        for (int r = 0; r < inputs.length; r++) {
            int[] t = targets.get(r);
            Arrays.fill(inputs[r], padTokenId);
            inputs[r][0] = decoderStartTokenId;
            System.arraycopy(t, 0, inputs[r], 1, Math.max(0, t.length - 1));
        }
        return new TeacherForcedBatch(inputs, List.copyOf(targets), width);
    }

    public int rows() {
        return decoderInputs.length;
    }

    /**
     * The ids to gather each position's log-probability at, row-major {@code [rows * width]}: the target token,
     * or 0 past a target's end (gathered, never summed).
     */
    public long[] gatherIndex() {
        long[] picks = new long[rows() * width];
        for (int r = 0; r < rows(); r++) {
            int[] t = targets.get(r);
            for (int i = 0; i < t.length; i++) {
                picks[r * width + i] = t[i];
            }
        }
        return picks;
    }

    /** Per row {@code sum_t log p(target_t | ...)} from the gathered log-probabilities {@code [rows * width]}. */
    public double[] rowSums(float[] gathered) {
        double[] sums = new double[rows()];
        for (int r = 0; r < sums.length; r++) {
            sums[r] = sumOver(gathered, r, r);
        }
        return sums;
    }

    /**
     * Sums {@code gathered}'s row {@code valuesRow} over the length of target {@code targetRow}; for layouts that
     * repeat each target over several decoder rows (RAG's documents).
     */
    public double sumOver(float[] gathered, int valuesRow, int targetRow) {
        double sum = 0;
        for (int i = 0; i < targets.get(targetRow).length; i++) {
            sum += gathered[valuesRow * width + i];
        }
        return sum;
    }
}
