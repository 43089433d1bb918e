package io.streamrag.qa.rag;

import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import io.streamrag.store.SearchHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One generator input per question holding the question and the top passages that fit
 * ({@link ConcatInputPacker}); the answer is the best hypothesis. The generator conditions on all passages at once, so
 * to say which passage the answer rests on, the answer is scored once more under each passage alone (the
 * {@code title / passage // question} inputs of rag-sequence, one batched teacher-forced call for the whole batch):
 * posterior p(d|x,y) ∝ p(d|x)·p(y|x,d).
 */
public final class ConcatComposer implements AnswerComposer {

    private final TextGenerator generator;
    private final GenerationSettings settings;
    private final ConcatInputPacker packer;
    private final RagInputFormatter formatter;

    public ConcatComposer(TextGenerator generator, GenerationSettings settings, RagInputFormatter formatter) {
        this.generator = generator;
        this.settings = settings;
        this.formatter = formatter;
        this.packer = new ConcatInputPacker(generator.tokenizer(), generator.maxInputTokens());
    }

    @Override
    public String modelName() {
        return generator.modelName();
    }

    @Override
    public String modeName() {
        return "concat";
    }

    public String inputFor(RetrievalContext context) {
        return packer.pack(context).text();
    }

    @Override
    public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
        List<String> inputs = new ArrayList<>(contexts.size());
        for (RetrievalContext context : contexts) {
            inputs.add(inputFor(context));
        }
        List<List<GeneratedSequence>> hypotheses = generator.generate(inputs, settings);
        List<GeneratedSequence> best = new ArrayList<>(contexts.size());
        List<String> perPassageInputs = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            List<GeneratedSequence> forInput = hypotheses.get(i);
            if (forInput.isEmpty()) {
                throw new IllegalStateException("the generator produced no hypothesis for input " + i);
            }
            best.add(forInput.get(0));
            RetrievalContext context = contexts.get(i);
            for (SearchHit hit : context.hits()) {
                perPassageInputs.add(formatter.format(hit.chunk().title(), hit.chunk().text(), context.question()));
                targets.add(forInput.get(0).tokenIds());
            }
        }
        double[] logLikelihoods = perPassageInputs.isEmpty() ? new double[0]
                : generator.sequenceLogLikelihood(perPassageInputs, targets);
        List<ComposedAnswer> answers = new ArrayList<>(contexts.size());
        int offset = 0;
        for (int i = 0; i < contexts.size(); i++) {
            int k = contexts.get(i).hits().size();
            double[] posterior = k == 0 ? null : CandidateMarginaliser.posterior(
                    CandidateMarginaliser.log(contexts.get(i).weights()),
                    Arrays.copyOfRange(logLikelihoods, offset, offset + k));
            offset += k;
            answers.add(new ComposedAnswer(best.get(i).text(), posterior));
        }
        return answers;
    }
}
