package io.streamrag.qa.rag;

import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rag.RagTokenGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.RetrievalContext;
import java.util.List;

/**
 * RAG-token answers (Lewis et al. 2020; Hugging Face's {@code RagTokenForGeneration}) through the inference module's
 * {@link RagTokenGenerator}: the same {@code title / passage // question} inputs as RAG-sequence, every answer token
 * drawn from the passages' next-token distributions mixed by p(d|x), and the answer carries the posterior
 * p(d|x,y). Questions with different passage counts may share a micro-batch (the generator groups them).
 */
public final class RagTokenComposer implements AnswerComposer {

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
        return RagAnswers.best(ragToken.generate(formatter.questions(contexts), settings), modeName());
    }
}
