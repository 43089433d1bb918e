package io.streamrag.inference.bart;

import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import java.util.Arrays;
import java.util.List;

/**
 * BART inputs encoded once: generation and teacher forcing both start from copies of the same encoder state (one
 * row per input, nothing decoded), which is freed on close.
 */
final class BartEncodedInputs implements EncodedInputs {
    private final BartGenerator generator;
    private final BartDecoderState encoded;

    /** Takes ownership of {@code encoded}. */
    BartEncodedInputs(BartGenerator generator, BartDecoderState encoded) {
        this.generator = generator;
        this.encoded = encoded;
    }

    @Override
    public int size() {
        return encoded.rows();
    }

    @Override
    public List<List<GeneratedSequence>> generate(GenerationSettings settings) {
        generator.requireDecoderRoom(settings);
        int[] all = new int[encoded.rows()];
        Arrays.setAll(all, i -> i);
        // search grows and reorders its rows; it works on a copy so the encoding stays reusable
        return generator.search(encoded.copyRows(all), settings);
    }

    @Override
    public double[] sequenceLogLikelihood(int[] inputIndexes, List<int[]> targets) {
        return inputIndexes.length == 0 ? new double[0]
                : BartTeacherForcing.logLikelihoods(generator.model(), encoded, inputIndexes, targets);
    }

    @Override
    public void close() {
        encoded.close();
    }
}
