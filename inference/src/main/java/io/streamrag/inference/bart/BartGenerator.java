package io.streamrag.inference.bart;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.generate.BeamSearch;
import io.streamrag.inference.generate.EncodedInputs;
import io.streamrag.inference.generate.GeneratedSequence;
import io.streamrag.inference.generate.GenerationConfigFiles;
import io.streamrag.inference.generate.GenerationSettings;
import io.streamrag.inference.generate.GreedySearch;
import io.streamrag.inference.generate.ScoredTokens;
import io.streamrag.inference.generate.TextGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link TextGenerator} for a Hugging Face BART folder ({@code config.json}, safetensors weights,
 * {@code tokenizer.json}, optional {@code tokenizer_config.json} and {@code generation_config.json}): tokenises
 * with the byte-level BPE tokenizer, encodes the batch once and runs greedy or beam search on the cached decoder.
 */
public final class BartGenerator implements TextGenerator {
    private final String modelName;
    private final BartModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final GenerationSettings defaults;
    private final int maxInputTokens;

    BartGenerator(String modelName, BartModel model, HuggingFaceTokenizer tokenizer, GenerationSettings defaults) {
        this.modelName = modelName;
        this.model = model;
        this.tokenizer = tokenizer;
        this.defaults = defaults;
        this.maxInputTokens = model.config().maxPositionEmbeddings();
    }

    /** @param settings fp32 anywhere, fp16 on a GPU only */
    public static BartGenerator open(Path directory, DeviceSettings settings) throws IOException {
        BartModel model = BartModel.load(directory, settings);
        try {
            int maxTokens = model.config().maxPositionEmbeddings();
            HuggingFaceTokenizer.Builder builder = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(directory.resolve("tokenizer.json"))
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(maxTokens)
                    // we pad ourselves with config.json's pad id; DJL would pad with 0 unless told
                    .optPadding(false);
            Path tokenizerConfig = directory.resolve("tokenizer_config.json");
            if (Files.isRegularFile(tokenizerConfig)) {
                builder.optTokenizerConfigPath(tokenizerConfig.toString());
            }
            HuggingFaceTokenizer tokenizer = builder.build();
            return new BartGenerator(directory.getFileName().toString(), model, tokenizer,
                    GenerationConfigFiles.read(directory));
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The model underneath, for callers that drive decoding themselves (RAG-Token). */
    public BartModel model() {
        return model;
    }

    @Override
    public String modelName() {
        return modelName;
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
        return defaults;
    }

    /** Token ids per input, {@code <s> ... </s>}, truncated to {@link #maxInputTokens()}. */
    public int[][] tokenize(List<String> inputs) {
        int[][] ids = new int[inputs.size()][];
        Encoding[] encodings = tokenizer.batchEncode(inputs);
        for (int i = 0; i < ids.length; i++) {
            long[] raw = encodings[i].getIds();
            ids[i] = new int[raw.length];
            for (int k = 0; k < raw.length; k++) {
                ids[i][k] = Math.toIntExact(raw[k]);
            }
        }
        return ids;
    }

    @Override
    public List<List<GeneratedSequence>> generate(List<String> inputs, GenerationSettings settings) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        return generateIds(tokenize(inputs), settings);
    }

    /** {@link #generate} on already tokenised inputs. */
    public List<List<GeneratedSequence>> generateIds(int[][] inputIds, GenerationSettings settings) {
        requireDecoderRoom(settings);
        return search(model.encode(inputIds), settings);
    }

    /** Tokenises and encodes once; generation and teacher forcing on the result share the encoder states. */
    @Override
    public EncodedInputs encode(List<String> inputs) {
        return encodeIds(tokenize(inputs));
    }

    /** {@link #encode} on already tokenised inputs. */
    public EncodedInputs encodeIds(int[][] inputIds) {
        return new BartEncodedInputs(this, model.encode(inputIds));
    }

    void requireDecoderRoom(GenerationSettings settings) {
        if (settings.effectiveMaxLength() > model.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("max length " + settings.effectiveMaxLength()
                    + " exceeds the decoder's max_position_embeddings " + model.config().maxPositionEmbeddings());
        }
    }

    /** Greedy or beam search from a fresh encoder state, which it takes over and closes. */
    List<List<GeneratedSequence>> search(BartDecoderState state, GenerationSettings settings) {
        List<List<ScoredTokens>> found;
        try (BartDecodingSession session = new BartDecodingSession(model, state)) {
            if (settings.numBeams() == 1) {
                found = new ArrayList<>();
                for (ScoredTokens t : GreedySearch.run(session, settings)) {
                    found.add(List.of(t));
                }
            } else {
                found = BeamSearch.run(session, settings);
            }
        }
        List<List<GeneratedSequence>> out = new ArrayList<>(found.size());
        for (List<ScoredTokens> hypotheses : found) {
            List<GeneratedSequence> sequences = new ArrayList<>(hypotheses.size());
            for (ScoredTokens t : hypotheses) {
                sequences.add(new GeneratedSequence(t.tokenIds(), decode(t.tokenIds()), t.score(), t.logLikelihood()));
            }
            out.add(sequences);
        }
        return out;
    }

    @Override
    public double[] sequenceLogLikelihood(List<String> inputs, List<int[]> targets) {
        if (inputs.isEmpty()) {
            return new double[0];
        }
        return BartTeacherForcing.logLikelihoods(model, tokenize(inputs), targets);
    }

    /** Text of generated ids, special tokens skipped. */
    public String decode(int[] tokenIds) {
        long[] ids = new long[tokenIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenIds[i];
        }
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }
}
