package io.streamrag.inference.rag;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Beams per input and forced log-likelihoods per (input, target), set by hand; counts the calls. */
final class HandSetGenerator implements TextGenerator {
    private final Map<String, List<GeneratedSequence>> beams = new HashMap<>();
    private final Map<String, Double> forced = new HashMap<>();
    int generateCalls;
    int forcedPairs;

    HandSetGenerator beams(String input, GeneratedSequence... sequences) {
        beams.put(input, List.of(sequences));
        return this;
    }

    HandSetGenerator forced(String input, int[] target, double probability) {
        forced.put(input + Arrays.toString(target), Math.log(probability));
        return this;
    }

    @Override
    public List<List<GeneratedSequence>> generate(List<String> inputs, GenerationSettings settings) {
        generateCalls++;
        List<List<GeneratedSequence>> out = new ArrayList<>();
        inputs.forEach(input -> out.add(beams.get(input)));
        return out;
    }

    @Override
    public double[] sequenceLogLikelihood(List<String> inputs, List<int[]> targets) {
        forcedPairs += inputs.size();
        double[] out = new double[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = forced.get(inputs.get(i) + Arrays.toString(targets.get(i)));
        }
        return out;
    }

    @Override
    public String modelName() {
        return "hand-set";
    }

    @Override
    public int maxInputTokens() {
        return 512;
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return null;
    }

    @Override
    public GenerationSettings defaultSettings() {
        return RagSequenceGeneratorTest.settings();
    }

    @Override
    public void close() {
    }
}
