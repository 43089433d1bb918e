package io.streamrag.inference.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hugging Face greedy decoding ({@code num_beams=1, do_sample=False}): per row the arg-max of the processed
 * scores until EOS or {@code max_length}; finished rows are fed padding until every row is done.
 */
public final class GreedySearch {

    private GreedySearch() {
    }

    /** @return one hypothesis per session row (input), in row order */
    public static List<ScoredTokens> run(DecodingSession session, GenerationSettings settings) {
        int rows = session.rows();
        int vocab = session.vocabSize();
        int maxLength = settings.effectiveMaxLength();
        LogitsProcessors processors = LogitsProcessors.of(settings);
        int[][] tokens = new int[rows][maxLength];
        for (int[] row : tokens) {
            row[0] = settings.decoderStartTokenId();
        }
        int[] generated = new int[rows];
        boolean[] finished = new boolean[rows];
        double[] scores = new double[rows];
        double[] logLikelihoods = new double[rows];
        int length = 1;
        int[] feed = new int[rows];
        Arrays.fill(feed, settings.decoderStartTokenId());
        float[] row = new float[vocab];
        while (length < maxLength) {
            float[] logProbs = session.nextTokenLogProbs(feed);
            boolean allFinished = true;
            for (int r = 0; r < rows; r++) {
                if (finished[r]) {
                    feed[r] = settings.padTokenId();
                    continue;
                }
                System.arraycopy(logProbs, r * vocab, row, 0, vocab);
                boolean changed = processors.apply(tokens[r], length, row, 0, vocab);
                int best = argMax(row);
                // HF scores greedy steps with log_softmax of the processed logits; our row already is a log_softmax,
                // so it only needs renormalising when a processor removed mass.
                double normaliser = changed ? LogSpace.logSumExp(row) : 0.0;
                scores[r] += row[best] - normaliser;
                logLikelihoods[r] += logProbs[r * vocab + best];
                tokens[r][length] = best;
                generated[r]++;
                feed[r] = best;
                finished[r] = best == settings.eosTokenId() || length + 1 >= maxLength;
                allFinished &= finished[r];
            }
            length++;
            if (allFinished) {
                break;
            }
        }
        List<ScoredTokens> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(new ScoredTokens(Arrays.copyOfRange(tokens[r], 1, 1 + generated[r]), scores[r],
                    logLikelihoods[r]));
        }
        return out;
    }

    /** First index of the maximum, as torch.argmax. */
    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
