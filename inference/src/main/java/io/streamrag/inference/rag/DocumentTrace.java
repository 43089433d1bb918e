package io.streamrag.inference.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the per-document likelihoods of RAG-Token hypotheses come from without another forward pass. Each decode
 * step already computes {@code log p(. | y_<t, x, d)} for every row and document; this trace keeps, per row, the
 * decoder prefix fed so far and {@code sum_t log p(y_t | y_<t, x, d)} over it, following the search's row
 * expansions and reorders. Per step it records those sums and {@code log p(EOS | prefix, x, d)}, so a hypothesis
 * that the search finished with EOS at any step can be scored later as prefix sums + EOS term. (A search finishes
 * hypotheses from candidates it never feeds back, so the last token's term cannot come from the next step's
 * gather.) Memory: per step and row a prefix reference and 2k numbers.
 */
final class DocumentTrace {
    private final int documents;
    private int[][] prefixes;
    private double[][] sums;
    private final List<Step> steps = new ArrayList<>();

    DocumentTrace(int rows, int documents) {
        this.documents = documents;
        this.prefixes = new int[rows][0];
        this.sums = new double[rows][documents];
    }

    /** Repeats every row {@code copies} times, as {@code DecodingSession.expandRows}. */
    void expand(int copies) {
        int[] source = new int[prefixes.length * copies];
        for (int i = 0; i < source.length; i++) {
            source[i] = i / copies;
        }
        reorder(source);
    }

    /** Row {@code i} continues old row {@code source[i]}. Arrays are never mutated, so rows may share them. */
    void reorder(int[] source) {
        int[][] p = new int[source.length][];
        double[][] s = new double[source.length][];
        for (int i = 0; i < source.length; i++) {
            p[i] = prefixes[source[i]];
            s[i] = sums[source[i]];
        }
        prefixes = p;
        sums = s;
    }

    /**
     * Appends the fed tokens to every row's prefix.
     *
     * @param fedLogProbs per row and document {@code log p(token | old prefix, x, d)}, or null for the decoder
     *     start token (it is given, not generated)
     */
    void advance(int[] tokens, float[] fedLogProbs) {
        for (int r = 0; r < tokens.length; r++) {
            int[] p = Arrays.copyOf(prefixes[r], prefixes[r].length + 1);
            p[p.length - 1] = tokens[r];
            prefixes[r] = p;
            if (fedLogProbs != null) {
                double[] s = sums[r].clone();
                for (int d = 0; d < documents; d++) {
                    s[d] += fedLogProbs[r * documents + d];
                }
                sums[r] = s;
            }
        }
    }

    /** Records the current rows with their {@code log p(EOS | prefix, x, d)}, row-major {@code [rows * k]}. */
    void record(float[] eosLogProbs) {
        steps.add(new Step(prefixes.clone(), sums.clone(), eosLogProbs));
    }

    int lastStep() {
        return steps.size() - 1;
    }

    /**
     * Finds the row of {@code step} among {@code [fromRow, toRow)} whose prefix is the decoder start followed by
     * {@code generated[0 .. n-2]}; rows with equal prefixes have equal likelihoods, so any match will do.
     *
     * @return the row, or -1
     */
    int findRow(int step, int fromRow, int toRow, int[] generated) {
        if (step < 0 || step >= steps.size()) {
            return -1;
        }
        int[][] p = steps.get(step).prefixes;
        for (int r = fromRow; r < toRow; r++) {
            if (p[r].length == generated.length
                    && Arrays.equals(p[r], 1, p[r].length, generated, 0, generated.length - 1)) {
                return r;
            }
        }
        return -1;
    }

    /** Per document {@code sum_t log p(y_t | y_<t, x, d)} over the prefix of {@code row} at {@code step}. */
    double[] prefixLogLikelihoods(int step, int row) {
        return steps.get(step).sums[row].clone();
    }

    /** Per document {@code log p(EOS | prefix, x, d)} of {@code row} at {@code step}. */
    double[] eosLogProbs(int step, int row) {
        double[] out = new double[documents];
        float[] eos = steps.get(step).eos;
        for (int d = 0; d < documents; d++) {
            out[d] = eos[row * documents + d];
        }
        return out;
    }

    private record Step(int[][] prefixes, double[][] sums, float[] eos) {
    }
}
