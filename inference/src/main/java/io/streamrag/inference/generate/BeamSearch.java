package io.streamrag.inference.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search with the semantics of Hugging Face's {@code _beam_search} (transformers 5): per input it keeps
 * {@code num_beams} running hypotheses and up to {@code num_beams} finished ones.
 *
 * <ul>
 *   <li>Each step: log_softmax, then the logits processors, then add the running scores; the top
 *       {@code 2 * num_beams} continuations over all beams are candidates.</li>
 *   <li>A candidate ending in EOS, or reaching {@code max_length}, is finished; only the first {@code num_beams}
 *       candidates may join the finished set, scored {@code sum / generated_length ^ length_penalty} (EOS counted,
 *       decoder start not).</li>
 *   <li>The best {@code num_beams} unfinished candidates run on.</li>
 *   <li>{@code early_stopping}: TRUE stops an input once it has {@code num_beams} finished hypotheses; FALSE and
 *       NEVER stop it once the best running score, normalised by the current length (NEVER with a positive
 *       length penalty: by the maximum length), cannot beat the worst finished one.</li>
 * </ul>
 * Scores are float32 as in PyTorch, so rankings match Hugging Face's; the finished/invalid sentinels are HF's -1e9.
 */
public final class BeamSearch {
    private static final float INVALID = -1.0e9f;

    private final DecodingSession session;
    private final GenerationSettings settings;
    private final LogitsProcessors processors;
    private final int inputs;
    private final int beams;
    private final int candidates;
    private final int vocab;
    private final int maxLength;

    private int[][] runningTokens;
    private float[] runningScores;
    private double[] runningLogLikelihoods;
    private final Finished[] finished;
    private final boolean[] improvable;

    private BeamSearch(DecodingSession session, GenerationSettings settings, int inputs) {
        this.session = session;
        this.settings = settings;
        this.processors = LogitsProcessors.of(settings);
        this.inputs = inputs;
        this.beams = settings.numBeams();
        this.candidates = 2 * beams; // HF keeps max(2, 1 + #EOS ids) * num_beams; BART has one EOS id
        this.vocab = session.vocabSize();
        this.maxLength = settings.effectiveMaxLength();
        int rows = inputs * beams;
        this.runningTokens = new int[rows][maxLength];
        this.runningScores = new float[rows];
        this.runningLogLikelihoods = new double[rows];
        for (int r = 0; r < rows; r++) {
            runningTokens[r][0] = settings.decoderStartTokenId();
            // only the first beam is live at the start, so the beams do not all pick the same tokens
            runningScores[r] = r % beams == 0 ? 0f : INVALID;
        }
        this.finished = new Finished[inputs];
        for (int b = 0; b < inputs; b++) {
            finished[b] = new Finished(beams);
        }
        this.improvable = new boolean[inputs];
        Arrays.fill(improvable, true);
    }

    /**
     * Expands the session's rows (one per input) to {@code num_beams} each and searches.
     *
     * @return per input, up to {@code num_return_sequences} hypotheses, best first
     */
    public static List<List<ScoredTokens>> run(DecodingSession session, GenerationSettings settings) {
        if (settings.effectiveMaxLength() < 2) {
            throw new IllegalArgumentException("max length must leave room for one generated token");
        }
        int inputs = session.rows();
        session.expandRows(settings.numBeams());
        return new BeamSearch(session, settings, inputs).search();
    }

    private List<List<ScoredTokens>> search() {
        int rows = inputs * beams;
        int[] feed = new int[rows];
        Arrays.fill(feed, settings.decoderStartTokenId());
        float[] scores = new float[beams * vocab];
        int length = 1;
        while (true) {
            float[] logProbs = session.nextTokenLogProbs(feed);
            int[][] nextTokens = new int[rows][];
            float[] nextScores = new float[rows];
            double[] nextLogLikelihoods = new double[rows];
            int[] sourceRows = new int[rows];
            boolean allCandidatesStop = true;
            for (int b = 0; b < inputs; b++) {
                for (int j = 0; j < beams; j++) {
                    int row = b * beams + j;
                    System.arraycopy(logProbs, row * vocab, scores, j * vocab, vocab);
                    processors.apply(runningTokens[row], length, scores, j * vocab, vocab);
                    float running = runningScores[row];
                    for (int i = j * vocab, end = i + vocab; i < end; i++) {
                        scores[i] += running;
                    }
                }
                int[] top = topK(scores, candidates);
                float[] value = new float[candidates];
                boolean[] stops = new boolean[candidates];
                for (int c = 0; c < candidates; c++) {
                    value[c] = scores[top[c]];
                    int token = top[c] % vocab;
                    stops[c] = token == settings.eosTokenId() || length + 1 >= maxLength;
                    allCandidatesStop &= stops[c];
                }
                updateFinished(b, top, value, stops, logProbs, length);
                // the best num_beams candidates that did not stop run on
                float[] runningValue = new float[candidates];
                for (int c = 0; c < candidates; c++) {
                    runningValue[c] = value[c] + (stops[c] ? INVALID : 0f);
                }
                int[] keep = topK(runningValue, beams);
                for (int k = 0; k < beams; k++) {
                    int c = keep[k];
                    int source = b * beams + top[c] / vocab;
                    int token = top[c] % vocab;
                    int row = b * beams + k;
                    sourceRows[row] = source;
                    nextTokens[row] = runningTokens[source].clone();
                    nextTokens[row][length] = token;
                    nextScores[row] = runningValue[c];
                    nextLogLikelihoods[row] = runningLogLikelihoods[source] + logProbs[source * vocab + token];
                    feed[row] = token;
                }
            }
            runningTokens = nextTokens;
            runningScores = nextScores;
            runningLogLikelihoods = nextLogLikelihoods;
            length++;
            updateImprovable(length);
            if (!anyImprovable() || (allFinished() && settings.earlyStopping() == GenerationSettings.EarlyStopping.TRUE)
                    || allCandidatesStop) {
                break;
            }
            session.reorderRows(sourceRows);
        }
        return results();
    }

    /** Merges the candidates that just finished into input {@code b}'s finished set, HF's way. */
    private void updateFinished(int b, int[] top, float[] value, boolean[] stops, float[] logProbs, int length) {
        Finished done = finished[b];
        boolean full = settings.earlyStopping() == GenerationSettings.EarlyStopping.TRUE && done.allFinished();
        float norm = (float) Math.pow(length, settings.lengthPenalty());
        int merged = beams + candidates;
        float[] mergedScore = new float[merged];
        System.arraycopy(done.scores, 0, mergedScore, 0, beams);
        for (int c = 0; c < candidates; c++) {
            float s = value[c] / norm;
            s += full ? INVALID : 0f;
            s += improvable[b] ? 0f : INVALID;
            s += stops[c] && c < beams ? 0f : INVALID;
            mergedScore[beams + c] = s;
        }
        int[] best = topK(mergedScore, beams);
        Finished next = new Finished(beams);
        for (int k = 0; k < beams; k++) {
            int m = best[k];
            next.scores[k] = mergedScore[m];
            if (m < beams) {
                next.tokens[k] = done.tokens[m];
                next.flags[k] = done.flags[m];
                next.logLikelihoods[k] = done.logLikelihoods[m];
            } else {
                int c = m - beams;
                int source = b * beams + top[c] / vocab;
                int token = top[c] % vocab;
                int[] tokens = Arrays.copyOfRange(runningTokens[source], 1, length + 1);
                tokens[length - 1] = token;
                next.tokens[k] = tokens;
                next.flags[k] = stops[c] && c < beams;
                next.logLikelihoods[k] = runningLogLikelihoods[source] + logProbs[source * vocab + token];
            }
        }
        finished[b] = next;
    }

    /** HF's early-stop heuristic: can the best running beam still beat the worst finished one? */
    private void updateImprovable(int length) {
        boolean never = settings.earlyStopping() == GenerationSettings.EarlyStopping.NEVER;
        int bestLength = never && settings.lengthPenalty() > 0 ? maxLength - 1 : length - 1;
        float norm = (float) Math.pow(bestLength, settings.lengthPenalty());
        for (int b = 0; b < inputs; b++) {
            if (!improvable[b]) {
                continue;
            }
            float bestPossible = runningScores[b * beams] / norm;
            Finished done = finished[b];
            float worst = Float.POSITIVE_INFINITY;
            for (float s : done.scores) {
                worst = Math.min(worst, s);
            }
            boolean canImprove = false;
            for (int k = 0; k < beams; k++) {
                canImprove |= bestPossible > (done.flags[k] ? worst : INVALID);
            }
            improvable[b] = canImprove;
        }
    }

    private boolean anyImprovable() {
        for (boolean i : improvable) {
            if (i) {
                return true;
            }
        }
        return false;
    }

    private boolean allFinished() {
        for (Finished f : finished) {
            if (!f.allFinished()) {
                return false;
            }
        }
        return true;
    }

    private List<List<ScoredTokens>> results() {
        List<List<ScoredTokens>> out = new ArrayList<>(inputs);
        for (Finished done : finished) {
            List<ScoredTokens> hypotheses = new ArrayList<>();
            for (int k = 0; k < beams && hypotheses.size() < settings.numReturnSequences(); k++) {
                if (done.flags[k]) {
                    hypotheses.add(new ScoredTokens(done.tokens[k], done.scores[k], done.logLikelihoods[k]));
                }
            }
            out.add(hypotheses);
        }
        return out;
    }

    /**
     * Indices of the {@code k} largest values, largest first; equal values keep index order. A bounded insertion
     * list: k is tiny (2 * num_beams) next to the vocabulary, so this is one pass with few inserts.
     */
    static int[] topK(float[] values, int k) {
        int[] index = new int[k];
        float[] kept = new float[k];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (size == k && !(v > kept[k - 1])) {
                continue;
            }
            int p = size < k ? size : k - 1;
            while (p > 0 && kept[p - 1] < v) {
                kept[p] = kept[p - 1];
                index[p] = index[p - 1];
                p--;
            }
            kept[p] = v;
            index[p] = i;
            if (size < k) {
                size++;
            }
        }
        if (size < k) {
            throw new IllegalArgumentException("need " + k + " candidates, have " + size);
        }
        return index;
    }

    /** One input's finished hypotheses, HF's {@code sequences / beam_scores / is_sent_finished}. */
    private static final class Finished {
        final int[][] tokens;
        final float[] scores;
        final boolean[] flags;
        final double[] logLikelihoods;

        Finished(int beams) {
            tokens = new int[beams][];
            scores = new float[beams];
            Arrays.fill(scores, INVALID);
            flags = new boolean[beams];
            logLikelihoods = new double[beams];
        }

        boolean allFinished() {
            for (boolean f : flags) {
                if (!f) {
                    return false;
                }
            }
            return true;
        }
    }
}
