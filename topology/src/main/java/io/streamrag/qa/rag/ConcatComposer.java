package io.streamrag.qa.rag;

import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rag.ConcatGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Concat answers through the inference module's {@link ConcatGenerator}: one generator input per question holding
 * the question and the top passages that fit ({@link ConcatInputPacker}); the answer is its best hypothesis, with
 * the posterior p(d|x,y) from scoring it under each passage's RAG-sequence input alone.
 */
public final class ConcatComposer implements AnswerComposer {

    private final TextGenerator generator;
    private final GenerationSettings settings;
    private final ConcatInputPacker packer;
    private final RagInputFormatter formatter;
    private final ConcatGenerator concat;

    public ConcatComposer(TextGenerator generator, GenerationSettings settings, RagInputFormatter formatter) {
        this.generator = generator;
        this.settings = settings;
        this.formatter = formatter;
        this.packer = new ConcatInputPacker(generator.tokenizer(), generator.maxInputTokens());
        this.concat = new ConcatGenerator(generator);
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
        return RagAnswers.best(concat.generate(inputs, formatter.questions(contexts), settings), modeName());
    }
}
