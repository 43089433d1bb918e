package io.streamrag.qa.rag;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rag.RagTokenGenerator;
import io.streamrag.inference.rag.RagTokenHypothesis;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RAG-token (Lewis et al. 2020; Hugging Face's {@code RagTokenForGeneration}) through the inference module's
 * {@link RagTokenGenerator}: the same {@code title / passage // question} inputs as RAG-sequence, each encoded once;
 * every answer token is drawn from the passages' next-token distributions mixed by p(d|x), and the answer carries
 * the posterior p(d|x,y). p(d|x) is the topology's retrieval weights (softmax of score / temperature), handed over
 * as log weights: the log_softmax RAG-token applies to them gives them back unchanged.
 *
 * <p>RAG-token decodes the k passages of a question in lock-step, so a decoder batch needs one k: the questions of
 * a micro-batch are grouped by passage count, one generator call per group (usually one).
 */
public final class RagTokenComposer implements AnswerComposer {

    /** A weight that underflowed to 0 becomes this log weight, which still mixes in as exactly 0. */
    private static final float LOG_ZERO = -1e30f;

    private final TextGenerator generator;
    private final RagTokenGenerator ragToken;
    private final GenerationSettings settings;
    private final RagInputFormatter formatter;

    /**
     * @param generator must be the BART generator: RAG-token drives its decoder step by step
     * @throws IllegalArgumentException for any other generator
     */
    public RagTokenComposer(TextGenerator generator, GenerationSettings settings, RagInputFormatter formatter) {
        if (!(generator instanceof BartGenerator bart)) {
            throw new IllegalArgumentException("generation mode rag-token needs the BART generator, got "
                    + generator.getClass().getName());
        }
        this.generator = generator;
        this.ragToken = new RagTokenGenerator(bart);
        this.settings = settings;
        this.formatter = formatter;
    }

    @Override
    public String modelName() {
        return generator.modelName();
    }

    @Override
    public String modeName() {
        return "rag-token";
    }

    @Override
    public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
        Map<Integer, List<Integer>> byPassageCount = new LinkedHashMap<>();
        for (int i = 0; i < contexts.size(); i++) {
            byPassageCount.computeIfAbsent(contexts.get(i).hits().size(), k -> new ArrayList<>()).add(i);
        }
        ComposedAnswer[] answers = new ComposedAnswer[contexts.size()];
        for (List<Integer> group : byPassageCount.values()) {
            List<List<String>> inputs = new ArrayList<>(group.size());
            List<float[]> logWeights = new ArrayList<>(group.size());
            for (int i : group) {
                inputs.add(inputsFor(contexts.get(i)));
                logWeights.add(logWeights(contexts.get(i).weights()));
            }
            List<List<RagTokenHypothesis>> found = ragToken.generate(inputs, logWeights, settings);
            for (int g = 0; g < group.size(); g++) {
                if (found.get(g).isEmpty()) {
                    throw new IllegalStateException("rag-token produced no hypothesis for question " + group.get(g));
                }
                RagTokenHypothesis best = found.get(g).get(0);
                answers[group.get(g)] = new ComposedAnswer(best.sequence().text(), best.docPosterior());
            }
        }
        return List.of(answers);
    }

    /** The generator inputs for one question, one per retrieved passage in retrieval order. */
    public List<String> inputsFor(RetrievalContext context) {
        List<String> inputs = new ArrayList<>(context.hits().size());
        for (SearchHit hit : context.hits()) {
            inputs.add(formatter.format(hit.chunk().title(), hit.chunk().text(), context.question()));
        }
        return inputs;
    }

    private static float[] logWeights(double[] weights) {
        float[] out = new float[weights.length];
        for (int d = 0; d < weights.length; d++) {
            out[d] = weights[d] > 0 ? (float) Math.log(weights[d]) : LOG_ZERO;
        }
        return out;
    }
}
