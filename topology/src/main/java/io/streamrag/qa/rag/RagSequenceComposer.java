package io.streamrag.qa.rag;

import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QaSettings.RagDecoding;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RAG-sequence (Lewis et al. 2020) with the semantics of Hugging Face's {@code RagSequenceForGeneration.generate}:
 * beam search on every (passage, question) input, the beams of all passages pooled and deduplicated by token ids
 * (first occurrence kept, in passage then beam order), each candidate y scored as
 * log p(y|x) = logsumexp_d (log p(d|x) + log p(y|x,d)), the best one returned.
 *
 * <p>Thorough decoding scores every candidate under every passage with a teacher-forced pass; like HF's
 * {@code exclude_bos_score}, when every candidate starts with the BOS token its log-probability is left out
 * (computed as log p(y) - log p(bos), which is exact because the first step sees only the decoder start).
 * Fast decoding uses the log-likelihoods beam search already computed and gives p(y|x,d) = 0 where d's beams did not
 * produce y; its sums keep the BOS term.
 *
 * <p>All generator work of a micro-batch is two calls: one {@code generate}, one {@code sequenceLogLikelihood}. In
 * thorough mode both run on one {@link EncodedInputs}: each passage is encoded once per question and the
 * teacher-forced pass selects its rows, instead of re-tokenising and re-encoding every (candidate, passage) pair.
 */
public final class RagSequenceComposer implements AnswerComposer {

    private final TextGenerator generator;
    private final GenerationSettings settings;
    private final RagInputFormatter formatter;
    private final RagDecoding decoding;
    private final Integer bosTokenId;

    public RagSequenceComposer(TextGenerator generator, GenerationSettings settings, RagInputFormatter formatter,
                               RagDecoding decoding, Integer bosTokenId) {
        this.generator = generator;
        this.settings = settings;
        this.formatter = formatter;
        this.decoding = decoding;
        this.bosTokenId = bosTokenId;
    }

    @Override
    public String modelName() {
        return generator.modelName();
    }

    @Override
    public String modeName() {
        return "rag-sequence";
    }

    /** The generator inputs for one question, one per retrieved passage in retrieval order. */
    public List<String> inputsFor(RetrievalContext context) {
        List<String> inputs = new ArrayList<>(context.hits().size());
        for (SearchHit hit : context.hits()) {
            inputs.add(formatter.format(hit.chunk().title(), hit.chunk().text(), context.question()));
        }
        return inputs;
    }

    @Override
    public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
        List<List<String>> inputsPerQuestion = new ArrayList<>(contexts.size());
        List<String> allInputs = new ArrayList<>();
        for (RetrievalContext context : contexts) {
            List<String> inputs = inputsFor(context);
            inputsPerQuestion.add(inputs);
            allInputs.addAll(inputs);
        }
        if (decoding == RagDecoding.THOROUGH) {
            try (EncodedInputs encoded = generator.encode(allInputs)) {
                return compose(contexts, inputsPerQuestion, encoded.generate(settings), encoded);
            }
        }
        return compose(contexts, inputsPerQuestion, generator.generate(allInputs, settings), null);
    }

    /** @param encoded the inputs' encoder states for thorough rescoring; null in fast mode */
    private List<ComposedAnswer> compose(List<RetrievalContext> contexts, List<List<String>> inputsPerQuestion,
                                         List<List<GeneratedSequence>> hypotheses, EncodedInputs encoded) {
        int inputCount = inputsPerQuestion.stream().mapToInt(List::size).sum();
        if (hypotheses.size() != inputCount) {
            throw new IllegalStateException("generator returned " + hypotheses.size() + " hypothesis lists for "
                    + inputCount + " inputs");
        }

        List<List<Candidate>> candidatesPerQuestion = new ArrayList<>(contexts.size());
        int offset = 0;
        for (List<String> inputs : inputsPerQuestion) {
            candidatesPerQuestion.add(pool(hypotheses.subList(offset, offset + inputs.size())));
            offset += inputs.size();
        }

        List<double[][]> logLikelihoods = encoded != null
                ? rescore(encoded, inputsPerQuestion, candidatesPerQuestion)
                : fastScores(candidatesPerQuestion);

        List<ComposedAnswer> answers = new ArrayList<>(contexts.size());
        for (int q = 0; q < contexts.size(); q++) {
            double[] logWeights = CandidateMarginaliser.log(contexts.get(q).weights());
            double[][] scores = logLikelihoods.get(q);
            int best = CandidateMarginaliser.best(CandidateMarginaliser.marginalLogLikelihoods(logWeights, scores));
            answers.add(new ComposedAnswer(candidatesPerQuestion.get(q).get(best).text,
                    CandidateMarginaliser.posterior(logWeights, scores[best])));
        }
        return answers;
    }

    /** Pools the beams of one question's passages, deduplicated by token ids in first-seen order. */
    private static List<Candidate> pool(List<List<GeneratedSequence>> perDocument) {
        Map<List<Integer>, Candidate> unique = new LinkedHashMap<>();
        for (int d = 0; d < perDocument.size(); d++) {
            for (GeneratedSequence sequence : perDocument.get(d)) {
                Candidate candidate = unique.computeIfAbsent(boxed(sequence.tokenIds()),
                        ids -> new Candidate(sequence.tokenIds(), sequence.text(), perDocument.size()));
                candidate.generatedLogLikelihood[d] =
                        Math.max(candidate.generatedLogLikelihood[d], sequence.logLikelihood());
            }
        }
        if (unique.isEmpty()) {
            throw new IllegalStateException("the generator produced no hypothesis for any passage");
        }
        return new ArrayList<>(unique.values());
    }

    private static List<double[][]> fastScores(List<List<Candidate>> candidates) {
        List<double[][]> scores = new ArrayList<>(candidates.size());
        for (List<Candidate> question : candidates) {
            double[][] matrix = new double[question.size()][];
            for (int c = 0; c < question.size(); c++) {
                matrix[c] = question.get(c).generatedLogLikelihood.clone();
            }
            scores.add(matrix);
        }
        return scores;
    }

    /**
     * Thorough decoding: every candidate under every passage, all pairs of the micro-batch in one forced pass on the
     * encoder states {@code generate} used (input i of question q is row offset(q) + i).
     */
    private List<double[][]> rescore(EncodedInputs encoded, List<List<String>> inputsPerQuestion,
                                     List<List<Candidate>> candidates) {
        List<Integer> pairRows = new ArrayList<>();
        List<int[]> pairTargets = new ArrayList<>();
        boolean[] excludeBos = new boolean[candidates.size()];
        int offset = 0;
        for (int q = 0; q < candidates.size(); q++) {
            int documents = inputsPerQuestion.get(q).size();
            for (Candidate candidate : candidates.get(q)) {
                for (int d = 0; d < documents; d++) {
                    pairRows.add(offset + d);
                    pairTargets.add(candidate.tokenIds);
                }
            }
            excludeBos[q] = bosTokenId != null && candidates.get(q).stream()
                    .allMatch(c -> c.tokenIds.length > 0 && c.tokenIds[0] == bosTokenId);
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

        List<double[][]> scores = new ArrayList<>(candidates.size());
        int cursor = 0;
        for (int q = 0; q < candidates.size(); q++) {
            int documents = inputsPerQuestion.get(q).size();
            double[][] matrix = new double[candidates.get(q).size()][documents];
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

    private static List<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    private static final class Candidate {
        final int[] tokenIds;
        final String text;
        final double[] generatedLogLikelihood;

        Candidate(int[] tokenIds, String text, int documents) {
            this.tokenIds = tokenIds;
            this.text = text;
            this.generatedLogLikelihood = new double[documents];
            Arrays.fill(generatedLogLikelihood, Double.NEGATIVE_INFINITY);
        }
    }
}
