package io.streamrag.inference.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;

/**
 * A sequence-to-sequence generator (BART). Thread-safe; one instance per process, shared by all stream threads.
 * Inputs longer than {@link #maxInputTokens()} are truncated, never rejected.
 */
public interface TextGenerator extends AutoCloseable {

    /** Stable model name, reported in answers. */
    String modelName();

    /** Longest encoder input in tokens, special tokens included. */
    int maxInputTokens();

    /** The model's tokenizer (byte-level BPE for BART). */
    HuggingFaceTokenizer tokenizer();

    /** The generation settings this model's config.json / generation_config.json imply, as Hugging Face reads them. */
    GenerationSettings defaultSettings();

    /**
     * Greedy or beam search per input, batched. Returns, per input, up to {@code numReturnSequences} hypotheses,
     * best first, with Hugging Face {@code generate} semantics.
     */
    List<List<GeneratedSequence>> generate(List<String> inputs, GenerationSettings settings);

    /**
     * Teacher-forced log p(target | input) summed over the target tokens, one per (input, target) pair, batched.
     * Targets are decoder token ids as {@link GeneratedSequence#tokenIds()} returns them (decoder start excluded).
     */
    double[] sequenceLogLikelihood(List<String> inputs, List<int[]> targets);

    /**
     * Encodes the inputs once, to generate from them and score targets under them without re-encoding. Generators
     * that cannot keep encoder states pass every call on as text (so the results are the same either way).
     */
    default EncodedInputs encode(List<String> inputs) {
        return new ReencodingInputs(this, inputs);
    }

    @Override
    void close();
}
