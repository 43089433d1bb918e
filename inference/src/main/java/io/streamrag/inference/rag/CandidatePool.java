package io.streamrag.inference.rag;

import io.streamrag.inference.generate.GeneratedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One question's RAG-Sequence candidates: the beams of all its passages, pooled in passage then beam order. Each
 * distinct token sequence is one {@link Candidate} (first occurrence kept), with, per passage, the best
 * log-likelihood that passage's beams gave it (negative infinity where they did not produce it; fast decoding's
 * p(y|x,d)). The occurrences remember every hypothesis, duplicates included, for a list without de-duplication.
 */
final class CandidatePool {
    private final List<Candidate> candidates;
    private final int[] occurrences;

    private CandidatePool(List<Candidate> candidates, int[] occurrences) {
        this.candidates = candidates;
        this.occurrences = occurrences;
    }

    /** @param perDocument per passage the hypotheses its beam search returned */
    static CandidatePool of(List<List<GeneratedSequence>> perDocument) {
        Map<List<Integer>, Integer> index = new LinkedHashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> occurrences = new ArrayList<>();
        for (int d = 0; d < perDocument.size(); d++) {
            for (GeneratedSequence sequence : perDocument.get(d)) {
                int c = index.computeIfAbsent(Arrays.stream(sequence.tokenIds()).boxed().toList(), ids -> {
                    candidates.add(new Candidate(sequence, perDocument.size()));
                    return candidates.size() - 1;
                });
                double[] generated = candidates.get(c).generatedLogLikelihoods;
                generated[d] = Math.max(generated[d], sequence.logLikelihood());
                occurrences.add(c);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("the generator produced no hypothesis for any passage");
        }
        return new CandidatePool(candidates, occurrences.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The distinct candidates in first-seen order. */
    List<Candidate> candidates() {
        return candidates;
    }

    /**
     * Which candidates make the n-best list, in pooled order: each distinct one once (Hugging Face's
     * {@code do_deduplication}), or one entry per hypothesis, duplicates included.
     */
    int[] listed(boolean deduplicate) {
        if (!deduplicate) {
            return occurrences.clone();
        }
        int[] all = new int[candidates.size()];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Per candidate and passage the log-likelihood beam search gave it: fast decoding's scores. */
    double[][] generatedLogLikelihoods() {
        double[][] out = new double[candidates.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = candidates.get(c).generatedLogLikelihoods.clone();
        }
        return out;
    }

    /** A distinct candidate: the first hypothesis with its ids. */
    static final class Candidate {
        final GeneratedSequence first;
        final double[] generatedLogLikelihoods;

        Candidate(GeneratedSequence first, int documents) {
            this.first = first;
            this.generatedLogLikelihoods = new double[documents];
            Arrays.fill(generatedLogLikelihoods, Double.NEGATIVE_INFINITY);
        }

        int[] tokenIds() {
            return first.tokenIds();
        }
    }
}
