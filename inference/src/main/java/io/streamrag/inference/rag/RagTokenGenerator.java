package io.streamrag.inference.rag;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.bart.BartModel;
import io.streamrag.inference.generate.BeamSearch;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GreedySearch;
import io.streamrag.inference.generate.LogSpace;
import io.streamrag.inference.generate.ScoredTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * y_<t)} (before processors); the tests check it against a teacher-forced pass ({@code RagTokenTeacherForcing}).
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

    /**
     * Tokenises each question's passage inputs and generates. Questions may differ in their number of documents:
     * RAG-Token decodes a question's k documents in lock-step, so the questions are grouped by k, one
     * {@link #generateIds} call per group (usually one), and answered in the order given.
     */
    public List<List<RagHypothesis>> generate(List<RagQuestion> questions, GenerationSettings settings) {
        Map<Integer, List<Integer>> byDocuments = new LinkedHashMap<>();
        for (int i = 0; i < questions.size(); i++) {
            byDocuments.computeIfAbsent(questions.get(i).documents(), k -> new ArrayList<>()).add(i);
        }
        List<List<RagHypothesis>> out = new ArrayList<>(Collections.nCopies(questions.size(), null));
        for (List<Integer> group : byDocuments.values()) {
            List<RetrievedContext> contexts = new ArrayList<>(group.size());
            for (int i : group) {
                RagQuestion q = questions.get(i);
                float[] scores = new float[q.documents()];
                for (int d = 0; d < scores.length; d++) {
                    scores[d] = (float) q.docScores()[d];
                }
                contexts.add(new RetrievedContext(Arrays.asList(generator.tokenize(q.passageInputs())), scores));
            }
            List<List<RagHypothesis>> found = generateIds(contexts, settings);
            for (int g = 0; g < group.size(); g++) {
                out.set(group.get(g), found.get(g));
            }
        }
        return out;
    }

    /**
     * Greedy ({@code numBeams == 1}) or beam search on the document mixture, all questions in one batch (every step
     * is one decoder call over questions x beams x k rows).
     *
     * @return per question up to {@code numReturnSequences} hypotheses, best first, each with its per-document
     *     likelihoods and posterior
     */
    public List<List<RagHypothesis>> generateIds(List<RetrievedContext> contexts, GenerationSettings settings) {
        if (contexts.isEmpty()) {
            return List.of();
        }
        if (settings.effectiveMaxLength() > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("max length " + settings.effectiveMaxLength()
                    + " exceeds the decoder's max_position_embeddings " + model.config().maxPositionEmbeddings());
        }
        List<List<RagHypothesis>> out = new ArrayList<>(contexts.size());
        try (RagTokenDecodingSession session = RagTokenDecodingSession.open(model, contexts, settings.eosTokenId())) {
            List<List<ScoredTokens>> found = search(session, settings);
            for (int q = 0; q < found.size(); q++) {
                double[] logPrior = contexts.get(q).logPrior();
                List<RagHypothesis> hypotheses = new ArrayList<>();
                for (ScoredTokens t : found.get(q)) {
                    double[] docLogLikelihoods = session.docLogLikelihoods(q, t.tokenIds());
                    GeneratedSequence sequence = new GeneratedSequence(t.tokenIds(), generator.decode(t.tokenIds()),
                            t.score(), t.logLikelihood());
                    hypotheses.add(new RagHypothesis(sequence, docLogLikelihoods,
                            LogSpace.posterior(logPrior, docLogLikelihoods)));
                }
                out.add(hypotheses);
            }
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
