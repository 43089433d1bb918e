package io.streamrag.inference.bart;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BART ({@code BartForConditionalGeneration}) on DJL NDArrays: encoder, cached decoder and tied LM head. Knows
 * nothing about search; generation strategies drive it through {@link #encode} and {@link #decodeStep} (see
 * {@link BartDecodingSession}). Thread-safe: weights are read-only and every request's arrays live in its own
 * {@link BartDecoderState} or in the caller's manager.
 *
 * <p>Token ids are plain {@code int[]} rows; inputs are right-padded with {@code pad_token_id} and masked.
 */
public final class BartModel implements AutoCloseable {
    private static final float MASKED = -1e9f;

    private final BartConfig config;
    private final NDManager manager;
    private final DataType dtype;
    private final BartWeights weights;
    private final Embeddings encoderEmbeddings;
    private final Embeddings decoderEmbeddings;
    private final List<EncoderLayer> encoderLayers = new ArrayList<>();
    private final List<DecoderLayer> decoderLayers = new ArrayList<>();

    BartModel(BartConfig config, NDManager manager, DataType dtype, BartWeights weights) {
        this.config = config;
        this.manager = manager;
        this.dtype = dtype;
        this.weights = weights;
        float scale = config.embedScale();
        this.encoderEmbeddings = new Embeddings(weights.tokenEmbedding(), weights.encoder().positions(),
                weights.encoder().embeddingNorm(), scale, config.layerNormEps());
        this.decoderEmbeddings = new Embeddings(weights.tokenEmbedding(), weights.decoder().positions(),
                weights.decoder().embeddingNorm(), scale, config.layerNormEps());
        weights.encoder().layers().forEach(w -> encoderLayers.add(new EncoderLayer(w, config)));
        weights.decoder().layers().forEach(w -> decoderLayers.add(new DecoderLayer(w, config)));
    }

    /**
     * Loads {@code config.json} and the safetensors weights of a Hugging Face BART folder onto {@code device}.
     *
     * @param device {@code Device.cpu()} or {@code Device.gpu(n)}
     */
    public static BartModel load(Path directory, Device device, ComputePrecision precision) throws IOException {
        precision.checkSupportedOn(device);
        BartConfig config = BartConfig.read(directory.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(directory);
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            BartWeights weights = BartCheckpointLoader.load(checkpoint, config, manager, precision.dataType());
            return new BartModel(config, manager, precision.dataType(), weights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public BartConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    public DataType dtype() {
        return dtype;
    }

    /** The manager owning the weights; for leak accounting in tests and benchmarks. */
    public NDManager manager() {
        return manager;
    }

    /**
     * Runs the encoder once and returns a fresh decoder state, one row per input, holding the cross-attention
     * keys/values of every decoder layer. The caller owns (closes) the state.
     *
     * @param inputIds token ids per input, special tokens included, at most {@code max_position_embeddings} long
     */
    public BartDecoderState encode(int[][] inputIds) {
        NDManager stateManager = manager.newSubManager();
        try (NDManager scope = stateManager.newSubManager()) {
            NDArray[] encoded = runEncoder(scope, inputIds);
            NDArray[][] cross = new NDArray[decoderLayers.size()][];
            for (int i = 0; i < cross.length; i++) {
                cross[i] = decoderLayers.get(i).crossKeysAndValues(encoded[0]);
                cross[i][0].attach(stateManager);
                cross[i][1].attach(stateManager);
            }
            encoded[1].attach(stateManager);
            return new BartDecoderState(stateManager, cross, encoded[1]);
        } catch (RuntimeException e) {
            stateManager.close();
            throw e;
        }
    }

    /**
     * The encoder's last hidden states {@code [inputs, padded length, d_model]} (float32), owned by {@code out}.
     * Package-private for the golden test, which checks the encoder alone against Hugging Face's hidden states
     * before the decoder can mix its errors in; decoding goes through {@link #encode}.
     */
    NDArray encoderHiddenStates(int[][] inputIds, NDManager out) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray hidden = runEncoder(scope, inputIds)[0].toType(DataType.FLOAT32, false);
            hidden.attach(out);
            return hidden;
        }
    }

    /**
     * Feeds one token per row at the next decoder position and returns the next-token logits {@code [rows, vocab]}
     * (float32, {@code final_logits_bias} added), owned by {@code out}. Appends to the state's self-attention cache.
     */
    public NDArray decodeStep(BartDecoderState state, int[] tokens, NDManager out) {
        int[][] column = new int[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            column[i] = new int[] {tokens[i]};
        }
        NDArray logits = decode(state, column, out);
        NDArray last = logits.squeeze(1);
        last.attach(out);
        logits.close();
        return last;
    }

    /**
     * Feeds {@code tokens[row]} (equal lengths; right-pad with anything, causality keeps padding out of earlier
     * positions) at the next decoder positions and returns logits {@code [rows, length, vocab]} (float32), owned by
     * {@code out}. With an empty cache and the decoder start token first this is the teacher-forced forward pass
     * ({@link BartTeacherForcing}).
     */
    public NDArray decode(BartDecoderState state, int[][] tokens, NDManager out) {
        if (tokens.length != state.rows()) {
            throw new IllegalArgumentException("state has " + state.rows() + " rows, got tokens for " + tokens.length);
        }
        int length = tokens[0].length;
        int past = state.length();
        if (past + length > decoderEmbeddings.maxPositions()) {
            throw new IllegalArgumentException("decoder length " + (past + length) + " exceeds max_position_embeddings "
                    + decoderEmbeddings.maxPositions());
        }
        try (NDManager scope = state.manager().newSubManager()) {
            NDArray x = decoderEmbeddings.forward(ids(scope, tokens, length), past);
            NDArray causal = length > 1 ? causalMask(scope, past, length) : null;
            for (int i = 0; i < decoderLayers.size(); i++) {
                x = decoderLayers.get(i).forward(x, state.layer(i), causal, state.encoderMask());
            }
            state.advance(length);
            NDArray logits = x.getNDArrayInternal().linear(x, weights.lmHead(), weights.finalLogitsBias())
                    .singletonOrThrow().toType(DataType.FLOAT32, false);
            logits.attach(out);
            return logits;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** @return {hidden states [B, S, D], additive padding mask [B, 1, 1, S]}, both in {@code scope} */
    private NDArray[] runEncoder(NDManager scope, int[][] inputIds) {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("no inputs to encode");
        }
        int width = 0;
        for (int[] row : inputIds) {
            if (row.length == 0) {
                throw new IllegalArgumentException("empty encoder input (special tokens must be included)");
            }
            width = Math.max(width, row.length);
        }
        if (width > encoderEmbeddings.maxPositions()) {
            throw new IllegalArgumentException("encoder input of " + width + " tokens exceeds max_position_embeddings "
                    + encoderEmbeddings.maxPositions() + "; truncate first");
        }
        float[] keep = new float[inputIds.length * width];
        int[][] padded = new int[inputIds.length][width];
        for (int r = 0; r < inputIds.length; r++) {
            Arrays.fill(padded[r], config.padTokenId());
            System.arraycopy(inputIds[r], 0, padded[r], 0, inputIds[r].length);
            Arrays.fill(keep, r * width, r * width + inputIds[r].length, 1f);
        }
        NDArray mask = scope.create(keep, new Shape(inputIds.length, 1, 1, width)).sub(1f).mul(-MASKED).toType(dtype, false);
        NDArray x = encoderEmbeddings.forward(ids(scope, padded, width), 0);
        for (EncoderLayer layer : encoderLayers) {
            x = layer.forward(x, mask);
        }
        return new NDArray[] {x, mask};
    }

    private NDArray ids(NDManager scope, int[][] tokens, int width) {
        long[] flat = new long[tokens.length * width];
        for (int r = 0; r < tokens.length; r++) {
            if (tokens[r].length != width) {
                throw new IllegalArgumentException("token rows must have equal length; row " + r + " has "
                        + tokens[r].length + ", expected " + width);
            }
            for (int i = 0; i < width; i++) {
                int id = tokens[r][i];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + config.vocabSize());
                }
                flat[r * width + i] = id;
            }
        }
        return scope.create(flat, new Shape(tokens.length, width));
    }

    /** Additive {@code [length, past + length]}: query i may see keys 0..past+i. No tril in DJL, so arange compares. */
    private NDArray causalMask(NDManager scope, int past, int length) {
        NDArray keys = scope.arange(0f, past + length, 1f, DataType.FLOAT32).reshape(1, past + length);
        NDArray queries = scope.arange((float) past, past + length, 1f, DataType.FLOAT32).reshape(length, 1);
        return keys.gt(queries).toType(DataType.FLOAT32, false).mul(MASKED).toType(dtype, false);
    }
}
