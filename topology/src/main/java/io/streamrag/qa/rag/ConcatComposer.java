package io.streamrag.qa.rag;

import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One generator input per question holding the question and the top passages that fit
 * ({@link ConcatInputPacker}); the answer is the best hypothesis. The generator conditions on all passages at once,
 * so there is no per-passage likelihood and the answers carry no posterior p(d|x,y).
 */
public final class ConcatComposer implements AnswerComposer {

    private final TextGenerator generator;
    private final GenerationSettings settings;
    private final ConcatInputPacker packer;

    public ConcatComposer(TextGenerator generator, GenerationSettings settings) {
        this.generator = generator;
        this.settings = settings;
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
        List<ComposedAnswer> answers = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            List<GeneratedSequence> forInput = hypotheses.get(i);
            if (forInput.isEmpty()) {
                throw new IllegalStateException("the generator produced no hypothesis for input " + i);
            }
            answers.add(new ComposedAnswer(forInput.get(0).text(), null));
        }
        return answers;
    }
}
