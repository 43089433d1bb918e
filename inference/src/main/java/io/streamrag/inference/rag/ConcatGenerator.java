package io.streamrag.inference.rag;

import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.LogSpace;
import io.streamrag.inference.generate.TextGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Concat generation: one generator input per question holding the question and its passages (packed by the
 * caller); the answers are that input's hypotheses. The generator conditions on all passages at once, so to say
 * which passage an answer rests on it is scored once more under each passage alone (the RAG-Sequence inputs of
 * {@link RagQuestion}, one batched teacher-forced call for the whole batch): {@code p(d|x,y) ∝ p(d|x) p(y|x,d)}.
 * Thread-safe as the generator is.
 */
public final class ConcatGenerator {
    private final TextGenerator generator;

    public ConcatGenerator(TextGenerator generator) {
        this.generator = generator;
    }

    /**
     * @param packedInputs per question its one packed input
     * @param passages per question its passages one per input, and the retrieval scores, for the posterior
     * @return per question the generator's hypotheses in its order, best first, each with its posterior
     */
    public List<List<RagHypothesis>> generate(List<String> packedInputs, List<RagQuestion> passages,
            GenerationSettings settings) {
        if (packedInputs.size() != passages.size()) {
            throw new IllegalArgumentException(packedInputs.size() + " packed inputs but " + passages.size()
                    + " questions");
        }
        List<List<GeneratedSequence>> hypotheses = generator.generate(packedInputs, settings);
        List<String> pairInputs = new ArrayList<>();
        List<int[]> pairTargets = new ArrayList<>();
        for (int q = 0; q < passages.size(); q++) {
            if (hypotheses.get(q).isEmpty()) {
                throw new IllegalStateException("the generator produced no hypothesis for input " + q);
            }
            for (GeneratedSequence sequence : hypotheses.get(q)) {
                for (String input : passages.get(q).passageInputs()) {
                    pairInputs.add(input);
                    pairTargets.add(sequence.tokenIds());
                }
            }
        }
        double[] logLikelihoods = generator.sequenceLogLikelihood(pairInputs, pairTargets);
        List<List<RagHypothesis>> out = new ArrayList<>(passages.size());
        int offset = 0;
        for (int q = 0; q < passages.size(); q++) {
            double[] prior = passages.get(q).logPrior();
            List<RagHypothesis> answers = new ArrayList<>();
            for (GeneratedSequence sequence : hypotheses.get(q)) {
                double[] perDocument = Arrays.copyOfRange(logLikelihoods, offset, offset + prior.length);
                offset += prior.length;
                answers.add(new RagHypothesis(sequence, perDocument, LogSpace.posterior(prior, perDocument)));
            }
            out.add(answers);
        }
        return out;
    }
}
