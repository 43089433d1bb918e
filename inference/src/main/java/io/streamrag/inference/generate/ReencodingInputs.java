package io.streamrag.inference.generate;

import java.util.ArrayList;
import java.util.List;

/** {@link EncodedInputs} for generators that cannot keep encoder states: every call goes to the generator as text. */
final class ReencodingInputs implements EncodedInputs {
    private final TextGenerator generator;
    private final List<String> inputs;

    ReencodingInputs(TextGenerator generator, List<String> inputs) {
        this.generator = generator;
        this.inputs = List.copyOf(inputs);
    }

    @Override
    public int size() {
        return inputs.size();
    }

    @Override
    public List<List<GeneratedSequence>> generate(GenerationSettings settings) {
        return generator.generate(inputs, settings);
    }

    @Override
    public double[] sequenceLogLikelihood(int[] inputIndexes, List<int[]> targets) {
        List<String> pairInputs = new ArrayList<>(inputIndexes.length);
        for (int index : inputIndexes) {
            pairInputs.add(inputs.get(index));
        }
        return generator.sequenceLogLikelihood(pairInputs, targets);
    }

    @Override
    public void close() {
    }
}
