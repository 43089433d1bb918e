package io.streamrag.qa.testing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.TextGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A generator whose outputs are set by hand: hypotheses per exact input string, and teacher-forced
 * log-likelihoods per (input, target ids). Unscripted inputs get one hypothesis echoing the input's length, so
 * tests that do not care still run; unscripted (input, target) pairs fail loudly. Records every call.
 */
public final class ScriptedGenerator implements TextGenerator {

    private final Map<String, List<GeneratedSequence>> hypotheses = new HashMap<>();
    private final Map<String, Double> logLikelihoods = new HashMap<>();
    private final List<List<String>> generateCalls = new ArrayList<>();
    private final List<List<String>> scoreCalls = new ArrayList<>();
    private final List<List<String>> encodeCalls = new ArrayList<>();
    private final HuggingFaceTokenizer tokenizer;
    private final int maxInputTokens;
    private final Integer forcedBos;

    public ScriptedGenerator(HuggingFaceTokenizer tokenizer, int maxInputTokens, Integer forcedBos) {
        this.tokenizer = tokenizer;
        this.maxInputTokens = maxInputTokens;
        this.forcedBos = forcedBos;
    }

    public ScriptedGenerator hypotheses(String input, GeneratedSequence... sequences) {
        hypotheses.put(input, List.of(sequences));
        return this;
    }

    public ScriptedGenerator logLikelihood(String input, int[] target, double value) {
        logLikelihoods.put(key(input, target), value);
        return this;
    }

    public synchronized List<List<String>> generateCalls() {
        return List.copyOf(generateCalls);
    }

    public synchronized List<List<String>> scoreCalls() {
        return List.copyOf(scoreCalls);
    }

    /** Inputs of every {@link #encode} call (its generate and score calls are recorded as the plain ones). */
    public synchronized List<List<String>> encodeCalls() {
        return List.copyOf(encodeCalls);
    }

    @Override
    public synchronized EncodedInputs encode(List<String> inputs) {
        encodeCalls.add(List.copyOf(inputs));
        return TextGenerator.super.encode(inputs);
    }

    @Override
    public String modelName() {
        return "scripted-generator";
    }

    @Override
    public int maxInputTokens() {
        return maxInputTokens;
    }

    @Override
    public HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public GenerationSettings defaultSettings() {
        return new GenerationSettings(2, 1, 20, null, 0, 1.0, GenerationSettings.EarlyStopping.TRUE, 0, forcedBos,
                2, 2, 2, 1);
    }

    @Override
    public synchronized List<List<GeneratedSequence>> generate(List<String> inputs, GenerationSettings settings) {
        generateCalls.add(List.copyOf(inputs));
        List<List<GeneratedSequence>> out = new ArrayList<>();
        for (String input : inputs) {
            List<GeneratedSequence> scripted = hypotheses.get(input);
            if (scripted == null) {
                scripted = List.of(new GeneratedSequence(new int[] {7, input.length(), 2}, "len " + input.length(),
                        -1.0, -1.0));
            }
            out.add(scripted.subList(0, Math.min(scripted.size(), settings.numReturnSequences())));
        }
        return out;
    }

    @Override
    public synchronized double[] sequenceLogLikelihood(List<String> inputs, List<int[]> targets) {
        scoreCalls.add(List.copyOf(inputs));
        double[] out = new double[inputs.size()];
        for (int i = 0; i < out.length; i++) {
            Double value = logLikelihoods.get(key(inputs.get(i), targets.get(i)));
            if (value == null) {
                throw new IllegalStateException("no scripted log-likelihood for " + Arrays.toString(targets.get(i))
                        + " given '" + inputs.get(i) + "'");
            }
            out[i] = value;
        }
        return out;
    }

    private static String key(String input, int[] target) {
        return input + "\u0000" + Arrays.toString(target);
    }

    @Override
    public void close() {
    }
}
