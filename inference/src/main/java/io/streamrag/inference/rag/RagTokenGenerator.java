package io.streamrag.inference.rag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.bart.BartDecoderState;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.generate.BeamSearch;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GreedySearch;
import io.streamrag.inference.generate.ScoredTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RAG-Token generation (Lewis et al. 2020; Hugging Face {@code RagTokenForGeneration}) on a BART generator: every
 * answer token is drawn from the mixture of the k retrieved documents' next-token distributions, and every answer
 * says which passage it rests on (the posterior {@code p(d | x, y)}).
 *
 * <p>The order Hugging Face's {@code RagTokenForGeneration.generate} (transformers 5.18) runs, which this class
 * follows:
 * <ol>
 *   <li>Encode all {@code batch * n_docs} {@code context_input_ids} once; repeat the encoder output over beams as
 *       {@code (batch, beam, doc)} rows; {@code doc_scores} repeated per beam.</li>
 *   <li>Start every {@code batch * num_beams} hypothesis with {@code decoder_start_token_id}; the logits processors
 *       come from the ordinary {@code _get_logits_processor} (no-repeat-ngram, min-length, forced BOS, forced EOS,
 *       in that order), and search is the ordinary {@code _sample} (greedy) or {@code _beam_search}.</li>
 *   <li>Each step the model's forward ({@code do_marginalize=True}) returns, per hypothesis, the MARGINAL
 *       {@code marginalize(seq_logits, doc_scores)}: {@code log_softmax} over the vocabulary of each document's
 *       logits, plus {@code log_softmax(doc_scores, dim=1)}, then {@code logsumexp} over the documents.</li>
 *   <li>Only then the search: beam search takes {@code log_softmax} of that marginal (a no-op up to rounding, it
 *       is already normalised), applies the processors, adds the running beam scores and picks the top
 *       {@code 2 * num_beams}; greedy applies the processors to the marginal and takes the arg-max. So every
 *       processor acts AFTER marginalisation, on the one mixture distribution, never per document.</li>
 *   <li>Beam reordering ({@code _reorder_cache}) moves each beam's k document caches together.</li>
 * </ol>
 * Here: {@link RagTokenDecodingSession} is step 1, 3 and 5; the unchanged {@link GreedySearch} / {@link BeamSearch}
 * are steps 2 and 4. The search's "log-likelihood" of a hypothesis is the marginal {@code sum_t log p(y_t | x,
 * y_<t)} (before processors), which is what the teacher-forced {@link #score} returns as well.
 *
 * <p>Thread-safe as the BART model is: each call has its own session. Does not own the {@link BartGenerator}.
 */
public final class RagTokenGenerator {
    private final BartGenerator generator;
    private final BartModel model;

    public RagTokenGenerator(BartGenerator generator) {
        this.generator = generator;
        this.model = generator.model();
    }

    /** The BART generator underneath (tokenizer, defaults). */
    public BartGenerator generator() {
        return generator;
    }

    /**
     * Tokenises {@code "title / passage // question"} strings (one list of k per question) and generates.
     *
     * @param docScores per question its k retrieval scores, in the order of its inputs
     */
    public List<List<RagTokenHypothesis>> generate(List<List<String>> inputs, List<float[]> docScores,
            GenerationSettings settings) {
        if (inputs.size() != docScores.size()) {
            throw new IllegalArgumentException(inputs.size() + " questions but " + docScores.size() + " score lists");
        }
        List<RetrievedContext> contexts = new ArrayList<>(inputs.size());
        for (int q = 0; q < inputs.size(); q++) {
            contexts.add(new RetrievedContext(Arrays.asList(generator.tokenize(inputs.get(q))), docScores.get(q)));
        }
        return generateIds(contexts, settings);
    }

    /**
     * Greedy ({@code numBeams == 1}) or beam search on the document mixture, all questions in one batch (every step
     * is one decoder call over questions x beams x k rows).
     *
     * @return per question up to {@code numReturnSequences} hypotheses, best first, each with its per-document
     *     likelihoods and posterior
     */
    public List<List<RagTokenHypothesis>> generateIds(List<RetrievedContext> contexts, GenerationSettings settings) {
        if (contexts.isEmpty()) {
            return List.of();
        }
        if (settings.effectiveMaxLength() > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("max length " + settings.effectiveMaxLength()
                    + " exceeds the decoder's max_position_embeddings " + model.config().maxPositionEmbeddings());
        }
        List<List<RagTokenHypothesis>> out = new ArrayList<>(contexts.size());
        try (RagTokenDecodingSession session = RagTokenDecodingSession.open(model, contexts, settings.eosTokenId())) {
            List<List<ScoredTokens>> found = search(session, settings);
            for (int q = 0; q < found.size(); q++) {
                double[] logPrior = logPrior(contexts.get(q).docScores());
                List<RagTokenHypothesis> hypotheses = new ArrayList<>();
                for (ScoredTokens t : found.get(q)) {
                    double[] docLogLikelihoods = session.docLogLikelihoods(q, t.tokenIds());
                    GeneratedSequence sequence = new GeneratedSequence(t.tokenIds(), generator.decode(t.tokenIds()),
                            t.score(), t.logLikelihood());
                    hypotheses.add(new RagTokenHypothesis(sequence, docLogLikelihoods,
                            DocumentMixture.posterior(logPrior, docLogLikelihoods)));
                }
                out.add(hypotheses);
            }
        }
        return out;
    }

    /**
     * Teacher-forced RAG-Token scores of one target per question in one encoder and one decoder call (Hugging
     * Face's {@code forward(..., do_marginalize=True)} logits gathered at the targets): the decoder reads the start
     * token then {@code target[0..n-2]}.
     *
     * @param targets ids without the decoder start token, one per question
     */
    public TeacherForcedScores score(List<RetrievedContext> contexts, List<int[]> targets) {
        return score(contexts, targets, model.config().decoderStartTokenId());
    }

    /** {@link #score(List, List)} with an explicit decoder start token. */
    public TeacherForcedScores score(List<RetrievedContext> contexts, List<int[]> targets, int decoderStartTokenId) {
        if (contexts.size() != targets.size()) {
            throw new IllegalArgumentException(contexts.size() + " questions but " + targets.size() + " targets");
        }
        int questions = contexts.size();
        int k = contexts.get(0).documents();
        int width = 1;
        for (int[] t : targets) {
            width = Math.max(width, t.length);
        }
        int[][] inputs = new int[questions * k][];
        int[][] decoderInputs = new int[questions * k][width];
        long[] picks = new long[questions * width];
        float[][] scores = new float[questions][];
        for (int q = 0; q < questions; q++) {
            RetrievedContext c = contexts.get(q);
            if (c.documents() != k) {
                throw new IllegalArgumentException("all questions need " + k + " documents; question " + q + " has "
                        + c.documents());
            }
            scores[q] = c.docScores();
            int[] t = targets.get(q);
            for (int i = 0; i < t.length; i++) {
                picks[q * width + i] = t[i];
            }
            for (int d = 0; d < k; d++) {
                inputs[q * k + d] = c.inputIds().get(d);
                int[] row = decoderInputs[q * k + d];
                Arrays.fill(row, model.config().padTokenId());
                row[0] = decoderStartTokenId;
                System.arraycopy(t, 0, row, 1, Math.max(0, t.length - 1));
            }
        }
        try (BartDecoderState state = model.encode(inputs); NDManager scope = model.manager().newSubManager()) {
            int vocab = model.config().vocabSize();
            NDArray docLogProbs = model.decode(state, decoderInputs, scope).logSoftmax(2)
                    .reshape(questions, k, width, vocab);
            NDArray prior = DocumentMixture.logPrior(scores, scope);
            NDArray marginal = DocumentMixture.marginalize(docLogProbs, prior);
            float[] tokenValues = marginal.gather(scope.create(picks, new Shape(questions, width, 1)), 2)
                    .toFloatArray();
            long[] docPicks = new long[questions * k * width];
            for (int i = 0; i < docPicks.length; i++) {
                docPicks[i] = picks[(i / (k * width)) * width + i % width];
            }
            float[] docValues = docLogProbs.gather(scope.create(docPicks, new Shape(questions, k, width, 1)), 3)
                    .toFloatArray();
            double[][] tokenLogProbs = new double[questions][];
            double[][] docLogLikelihoods = new double[questions][k];
            for (int q = 0; q < questions; q++) {
                int n = targets.get(q).length;
                tokenLogProbs[q] = new double[n];
                for (int i = 0; i < n; i++) {
                    tokenLogProbs[q][i] = tokenValues[q * width + i];
                    for (int d = 0; d < k; d++) {
                        docLogLikelihoods[q][d] += docValues[(q * k + d) * width + i];
                    }
                }
            }
            return new TeacherForcedScores(tokenLogProbs, docLogLikelihoods);
        }
    }

    /** {@code log p(d | x)}: log_softmax of one question's doc scores, in double. */
    static double[] logPrior(float[] docScores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : docScores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        for (float s : docScores) {
            sum += Math.exp(s - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[docScores.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = docScores[d] - log;
        }
        return out;
    }

    private static List<List<ScoredTokens>> search(RagTokenDecodingSession session, GenerationSettings settings) {
        if (settings.numBeams() > 1) {
            return BeamSearch.run(session, settings);
        }
        List<List<ScoredTokens>> found = new ArrayList<>();
        for (ScoredTokens t : GreedySearch.run(session, settings)) {
            found.add(List.of(t));
        }
        return found;
    }
}
