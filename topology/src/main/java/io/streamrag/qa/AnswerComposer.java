package io.streamrag.qa;

import java.util.List;

/** Turns retrieved passages into answer text: RAG-sequence, concat or extractive. One call per micro-batch. */
public interface AnswerComposer {

    /** The model reported in answers ({@code ModelInfo.generator}). */
    String modelName();

    /** The mode reported in answers ({@code ModelInfo.mode}). */
    String modeName();

    /** One answer per context, in order. */
    List<ComposedAnswer> compose(List<RetrievalContext> contexts);
}
