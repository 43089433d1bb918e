package io.streamrag.qa.rag;

import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import io.streamrag.inference.rag.RagSequenceGenerator;
import io.streamrag.qa.AnswerComposer;
import io.streamrag.qa.ComposedAnswer;
import io.streamrag.qa.QaSettings.RagDecoding;
import io.streamrag.qa.RetrievalContext;
import java.util.List;

/**
 * RAG-sequence answers through the inference module's {@link RagSequenceGenerator} (Hugging Face's
 * {@code RagSequenceForGeneration.generate}, thorough or fast, candidates de-duplicated): the passages become
 * {@code title / passage // question} inputs with p(d|x) as doc scores; the answer is the best candidate.
 */
public final class RagSequenceComposer implements AnswerComposer {

    private final TextGenerator generator;
    private final GenerationSettings settings;
    private final RagInputFormatter formatter;
    private final RagSequenceGenerator ragSequence;

    /** @param bosTokenId left out of thorough scores when every candidate starts with it, or null */
    public RagSequenceComposer(TextGenerator generator, GenerationSettings settings, RagInputFormatter formatter,
                               RagDecoding decoding, Integer bosTokenId) {
        this.generator = generator;
        this.settings = settings;
        this.formatter = formatter;
        this.ragSequence = new RagSequenceGenerator(generator, decoding == RagDecoding.THOROUGH
                ? RagSequenceGenerator.Decoding.THOROUGH : RagSequenceGenerator.Decoding.FAST, bosTokenId);
    }

    @Override
    public String modelName() {
        return generator.modelName();
    }

    @Override
    public String modeName() {
        return "rag-sequence";
    }

    @Override
    public List<ComposedAnswer> compose(List<RetrievalContext> contexts) {
        return RagAnswers.best(ragSequence.generate(formatter.questions(contexts), settings), modeName());
    }
}
