package io.streamrag.inference.generate;

import java.util.List;

/**
 * Generator inputs encoded once, for callers that generate from them and then score targets under them (RAG-Sequence
 * thorough decoding scores every pooled candidate under every passage): the encoder runs once per input instead of
 * once per (input, target) pair. Not thread-safe; close it to free the encoder states.
 */
public interface EncodedInputs extends AutoCloseable {

    /** The number of inputs encoded. */
    int size();

    /** As {@link TextGenerator#generate} on the encoded inputs. */
    List<List<GeneratedSequence>> generate(GenerationSettings settings);

    /**
     * As {@link TextGenerator#sequenceLogLikelihood} for the pairs ({@code inputs[inputIndexes[i]]}, {@code targets[i]}),
     * from the encoder states already computed.
     */
    double[] sequenceLogLikelihood(int[] inputIndexes, List<int[]> targets);

    @Override
    void close();
}
