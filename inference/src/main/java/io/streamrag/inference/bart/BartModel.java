package io.streamrag.inference.bart;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.checkpoint.Checkpoint;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.nn.AttentionMasks;
import io.streamrag.inference.nn.Embeddings;
import io.streamrag.inference.nn.EncoderLayer;
import io.streamrag.inference.nn.KeysAndValues;
import io.streamrag.inference.nn.Linear;
import java.io.IOException;
import java.nio.file.Path;
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

    private final BartConfig config;
    private final NDManager manager;
    private final Precision precision;
    private final Embeddings encoderEmbeddings;
    private final List<EncoderLayer> encoderLayers;
    private final Embeddings decoderEmbeddings;
    private final List<DecoderLayer> decoderLayers;
    private final Linear lmHead;

    BartModel(BartConfig config, NDManager manager, Precision precision, BartWeights weights) {
        this.config = config;
        this.manager = manager;
        this.precision = precision;
        this.encoderEmbeddings = weights.encoderEmbeddings();
        this.encoderLayers = weights.encoderLayers();
        this.decoderEmbeddings = weights.decoderEmbeddings();
        this.decoderLayers = weights.decoderLayers();
        this.lmHead = weights.lmHead();
    }

    /**
     * Loads {@code config.json} and the safetensors weights of a Hugging Face BART folder onto the device, in fp32
     * anywhere or fp16 on a GPU (PyTorch's fp16 matmuls on CPU are slower than fp32 and lose precision for nothing).
     */
    public static BartModel load(Path directory, DeviceSettings settings) throws IOException {
        if (settings.precision() == Precision.FP16 && !settings.device().isGpu()) {
            throw new IllegalArgumentException("fp16 is for GPUs only (device " + settings.device()
                    + "); use fp32 on CPU");
        }
        settings.device().requireAvailable();
        BartConfig config = BartConfig.read(directory.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(directory);
        NDManager manager = NDManager.newBaseManager(settings.device().toDjl(), "PyTorch");
        try {
            BartWeights weights = BartCheckpointLoader.load(checkpoint, config, manager, settings.precision());
            return new BartModel(config, manager, settings.precision(), weights);
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
            KeysAndValues[] cross = new KeysAndValues[decoderLayers.size()];
            for (int i = 0; i < cross.length; i++) {
                cross[i] = decoderLayers.get(i).crossKeysAndValues(encoded[0]);
            }
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
            NDArray x = decoderEmbeddings.forward(ids(scope, tokens, length), null, past);
            NDArray causal = length > 1 ? AttentionMasks.causal(scope, past, length, precision) : null;
            for (int i = 0; i < decoderLayers.size(); i++) {
                x = decoderLayers.get(i).forward(x, state.layer(i), causal, state.encoderMask());
            }
            state.advance(length);
            NDArray logits = lmHead.apply(x).toType(DataType.FLOAT32, false);
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
        NDArray mask = AttentionMasks.padding(scope.create(keep, new Shape(inputIds.length, width)), precision);
        NDArray x = encoderEmbeddings.forward(ids(scope, padded, width), null, 0);
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
}
