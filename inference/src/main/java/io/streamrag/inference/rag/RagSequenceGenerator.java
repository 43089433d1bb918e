package io.streamrag.inference.rag;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.LogSpace;
import io.streamrag.inference.generate.TextGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * RAG-Sequence (Lewis et al. 2020) with the semantics of Hugging Face's {@code RagSequenceForGeneration.generate}:
 * beam search on every (passage, question) input, the beams of a question's passages pooled ({@link CandidatePool};
 * de-duplicated by token ids unless switched off, as {@code do_deduplication}), each candidate y scored as
 * {@code log p(y|x) = logsumexp_d (log p(d|x) + log p(y|x,d))} and the candidates ranked by it, best first (the
 * first seen on ties, so equal scores resolve the same way on every replay).
 *
 * <p>{@link Decoding#THOROUGH} scores every candidate under every passage with a teacher-forced pass; like HF's
 * {@code exclude_bos_score}, when every candidate starts with the BOS token its log-probability is left out
 * (computed as log p(y) - log p(bos), which is exact because the first step sees only the decoder start).
 * {@link Decoding#FAST} uses the log-likelihoods beam search already computed and gives p(y|x,d) = 0 where d's beams
 * did not produce y; its sums keep the BOS term. Without de-duplication a candidate produced twice is listed twice,
 * with the same scores (they are computed once per distinct candidate).
 *
 * <p>All generator work of a batch is one {@code generate} and, when thorough, one {@code sequenceLogLikelihood},
 * both on one {@link EncodedInputs}: each passage is encoded once per question and the teacher-forced pass selects
 * its rows. Thread-safe as the generator is.
 */
public final class RagSequenceGenerator {

    /** How p(y|x,d) is found for the pooled candidates. */
    public enum Decoding {
        /** a teacher-forced pass of every candidate under every passage */
        THOROUGH,
        /** the beams' own log-likelihoods; 0 probability where a passage did not produce the candidate */
        FAST
    }

    private final TextGenerator generator;
    private final Decoding decoding;
    private final boolean deduplicate;
    private final Integer bosTokenId;

    /** De-duplicates the pooled candidates, as Hugging Face does by default. */
    public RagSequenceGenerator(TextGenerator generator, Decoding decoding, Integer bosTokenId) {
        this(generator, decoding, true, bosTokenId);
    }

    /**
     * @param deduplicate Hugging Face's {@code do_deduplication} (its default, and this project's, is true)
     * @param bosTokenId the BOS token thorough decoding leaves out of the scores when every candidate starts with
     *     it ({@code exclude_bos_score}), or null to score whole sequences
     */
    public RagSequenceGenerator(TextGenerator generator, Decoding decoding, boolean deduplicate, Integer bosTokenId) {
        this.generator = generator;
        this.decoding = decoding;
        this.deduplicate = deduplicate;
        this.bosTokenId = bosTokenId;
    }

    /**
     * @param settings the per-passage beam search; Hugging Face returns every beam ({@code num_return_sequences =
     *     num_beams})
     * @return per question its n-best list: the pooled candidates by marginal log-likelihood, best first
     */
    public List<List<RagHypothesis>> generate(List<RagQuestion> questions, GenerationSettings settings) {
        List<String> inputs = new ArrayList<>();
        List<double[]> logPriors = new ArrayList<>(questions.size());
        for (RagQuestion q : questions) {
            inputs.addAll(q.passageInputs());
            logPriors.add(q.logPrior());
        }
        return decode(logPriors, settings, () -> generator.generate(inputs, settings), () -> generator.encode(inputs));
    }

    /** {@link #generate} on token ids; needs the BART generator. */
    public List<List<RagHypothesis>> generateIds(List<RetrievedContext> contexts, GenerationSettings settings) {
        if (!(generator instanceof BartGenerator bart)) {
            throw new IllegalStateException("token-id inputs need the BART generator, got "
                    + generator.getClass().getName());
        }
        List<int[]> inputs = new ArrayList<>();
        List<double[]> logPriors = new ArrayList<>(contexts.size());
        for (RetrievedContext c : contexts) {
            inputs.addAll(c.inputIds());
            logPriors.add(c.logPrior());
        }
        int[][] ids = inputs.toArray(new int[0][]);
        return decode(logPriors, settings, () -> bart.generateIds(ids, settings), () -> bart.encodeIds(ids));
    }

    private List<List<RagHypothesis>> decode(List<double[]> logPriors, GenerationSettings settings,
            Supplier<List<List<GeneratedSequence>>> generate, Supplier<EncodedInputs> encode) {
        if (logPriors.isEmpty()) {
            return List.of();
        }
        if (decoding == Decoding.FAST) {
            List<CandidatePool> pools = pool(logPriors, generate.get());
            return rank(logPriors, pools, pools.stream().map(CandidatePool::generatedLogLikelihoods).toList());
        }
        try (EncodedInputs encoded = encode.get()) {
            List<CandidatePool> pools = pool(logPriors, encoded.generate(settings));
            return rank(logPriors, pools, rescore(encoded, logPriors, pools));
        }
    }

    private static List<CandidatePool> pool(List<double[]> logPriors, List<List<GeneratedSequence>> hypotheses) {
        int inputs = logPriors.stream().mapToInt(p -> p.length).sum();
        if (hypotheses.size() != inputs) {
            throw new IllegalStateException("generator returned " + hypotheses.size() + " hypothesis lists for "
                    + inputs + " inputs");
        }
        List<CandidatePool> pools = new ArrayList<>(logPriors.size());
        int offset = 0;
        for (double[] prior : logPriors) {
            pools.add(CandidatePool.of(hypotheses.subList(offset, offset + prior.length)));
            offset += prior.length;
        }
        return pools;
    }

    /**
     * Thorough decoding: every candidate under every passage, all pairs of the batch in one forced pass on the
     * encoder states {@code generate} used (passage d of question q is row offset(q) + d).
     */
    private List<double[][]> rescore(EncodedInputs encoded, List<double[]> logPriors, List<CandidatePool> pools) {
        List<Integer> pairRows = new ArrayList<>();
        List<int[]> pairTargets = new ArrayList<>();
        boolean[] excludeBos = new boolean[pools.size()];
        int offset = 0;
        for (int q = 0; q < pools.size(); q++) {
            int documents = logPriors.get(q).length;
            List<CandidatePool.Candidate> candidates = pools.get(q).candidates();
            for (CandidatePool.Candidate candidate : candidates) {
                for (int d = 0; d < documents; d++) {
                    pairRows.add(offset + d);
                    pairTargets.add(candidate.tokenIds());
                }
            }
            excludeBos[q] = bosTokenId != null && candidates.stream()
                    .allMatch(c -> c.tokenIds().length > 0 && c.tokenIds()[0] == bosTokenId);
            if (excludeBos[q]) {
                for (int d = 0; d < documents; d++) {
                    pairRows.add(offset + d);
                    pairTargets.add(new int[] {bosTokenId});
                }
            }
            offset += documents;
        }
        double[] logLikelihoods = encoded.sequenceLogLikelihood(
                pairRows.stream().mapToInt(Integer::intValue).toArray(), pairTargets);
        if (logLikelihoods.length != pairTargets.size()) {
            throw new IllegalStateException("generator scored " + logLikelihoods.length + " of " + pairTargets.size()
                    + " (input, candidate) pairs");
        }
        List<double[][]> scores = new ArrayList<>(pools.size());
        int cursor = 0;
        for (int q = 0; q < pools.size(); q++) {
            int documents = logPriors.get(q).length;
            double[][] matrix = new double[pools.get(q).candidates().size()][documents];
            for (double[] row : matrix) {
                System.arraycopy(logLikelihoods, cursor, row, 0, documents);
                cursor += documents;
            }
            if (excludeBos[q]) {
                for (int d = 0; d < documents; d++) {
                    for (double[] row : matrix) {
                        row[d] -= logLikelihoods[cursor + d];
                    }
                }
                cursor += documents;
            }
            scores.add(matrix);
        }
        return scores;
    }

    /** Per question its listed candidates with marginal and posterior, by marginal, best first (stable). */
    private List<List<RagHypothesis>> rank(List<double[]> logPriors, List<CandidatePool> pools,
            List<double[][]> logLikelihoods) {
        List<List<RagHypothesis>> out = new ArrayList<>(pools.size());
        for (int q = 0; q < pools.size(); q++) {
            double[] prior = logPriors.get(q);
            List<CandidatePool.Candidate> candidates = pools.get(q).candidates();
            List<RagHypothesis> nBest = new ArrayList<>();
            for (int c : pools.get(q).listed(deduplicate)) {
                double[] perDocument = logLikelihoods.get(q)[c];
                double marginal = LogSpace.marginal(prior, perDocument);
                GeneratedSequence first = candidates.get(c).first;
                nBest.add(new RagHypothesis(new GeneratedSequence(first.tokenIds(), first.text(), marginal, marginal),
                        perDocument.clone(), LogSpace.posterior(prior, perDocument)));
            }
            // List.sort is stable: candidates with equal marginals keep their first-seen order
            nBest.sort(Comparator.comparingDouble((RagHypothesis h) -> h.sequence().logLikelihood()).reversed());
            out.add(nBest);
        }
        return out;
    }
}
