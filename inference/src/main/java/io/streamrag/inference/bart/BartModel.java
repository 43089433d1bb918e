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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BART ({@code BartForConditionalGeneration}) on DJL NDArrays: encoder, cached decoder and tied LM head. Knows
 * nothing about search; generation strategies drive it through {@link #encode} and {@link #decodeStep} (see
 * {@link BartDecodingSession}). Thread-safe: weights are read-only and every request's arrays live in its own
 * {@link BartDecoderState} or in the caller's manager.
 *
 * <p>Token ids are plain {@code int[]} rows; inputs are right-padded with {@code pad_token_id} and masked.
 */
public final class BartModel implements AutoCloseable {
    /** Most logits elements one teacher-forced pass may hold (64 MiB of fp32). */
    private static final long LOGITS_BUDGET = 16L << 20;

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

    /** The encoder's last hidden states {@code [inputs, padded length, d_model]} (float32), owned by {@code out}. */
    public NDArray encoderHiddenStates(int[][] inputIds, NDManager out) {
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
     * {@code out}. With an empty cache and the decoder start token first this is the teacher-forced forward pass.
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

    /**
     * Teacher-forced {@code sum_t log p(target_t | target_<t, input)} per pair, batched: the decoder reads the
     * decoder start token then {@code target[0..n-2]}. Targets are generated ids without the start token. Rows are
     * scored in chunks so that no logits tensor exceeds {@value #LOGITS_BUDGET} elements.
     */
    public double[] teacherForcedLogLikelihood(int[][] inputIds, List<int[]> targets) {
        return teacherForcedLogLikelihood(inputIds, targets, LOGITS_BUDGET);
    }

    /** As above with an explicit logits budget (elements); tests use a small one to force chunking. */
    double[] teacherForcedLogLikelihood(int[][] inputIds, List<int[]> targets, long logitsBudget) {
        if (inputIds.length != targets.size()) {
            throw new IllegalArgumentException(inputIds.length + " inputs but " + targets.size() + " targets");
        }
        // each distinct input is encoded once, however many targets it is paired with
        Map<List<Integer>, Integer> distinct = new LinkedHashMap<>();
        int[] rows = new int[inputIds.length];
        for (int i = 0; i < inputIds.length; i++) {
            rows[i] = distinct.computeIfAbsent(Arrays.stream(inputIds[i]).boxed().toList(), k -> distinct.size());
        }
        int[][] distinctIds = new int[distinct.size()][];
        for (int i = 0; i < inputIds.length; i++) {
            distinctIds[rows[i]] = inputIds[i];
        }
        try (BartDecoderState encoded = encode(distinctIds)) {
            return teacherForcedLogLikelihood(encoded, rows, targets, logitsBudget);
        }
    }

    /**
     * Teacher-forced log-likelihoods of the pairs ({@code encoded} row {@code rows[i]}, {@code targets[i]}) from
     * encoder states computed before (by {@link #encode}, never decoded from): the rows are copied out for each
     * chunk, the encoder does not run again. {@code encoded} is left as it is.
     */
    public double[] teacherForcedLogLikelihood(BartDecoderState encoded, int[] rows, List<int[]> targets) {
        return teacherForcedLogLikelihood(encoded, rows, targets, LOGITS_BUDGET);
    }

    private double[] teacherForcedLogLikelihood(BartDecoderState encoded, int[] rows, List<int[]> targets,
                                                long logitsBudget) {
        if (rows.length != targets.size()) {
            throw new IllegalArgumentException(rows.length + " rows but " + targets.size() + " targets");
        }
        if (encoded.length() != 0) {
            throw new IllegalArgumentException("teacher forcing needs an encoder state with nothing decoded yet, got "
                    + encoded.length() + " cached positions");
        }
        double[] sums = new double[rows.length];
        int from = 0;
        while (from < rows.length) {
            int to = from + 1;
            int width = Math.max(1, targets.get(from).length);
            while (to < rows.length) {
                int wider = Math.max(width, targets.get(to).length);
                if ((long) (to + 1 - from) * wider * config.vocabSize() > logitsBudget) {
                    break;
                }
                width = wider;
                to++;
            }
            double[] chunk = scoreTargets(encoded, Arrays.copyOfRange(rows, from, to), targets.subList(from, to),
                    width);
            System.arraycopy(chunk, 0, sums, from, chunk.length);
            from = to;
        }
        return sums;
    }

    private double[] scoreTargets(BartDecoderState encoded, int[] rows, List<int[]> targets, int width) {
        int[][] decoderInputs = new int[targets.size()][width];
        long[] picks = new long[targets.size() * width];
        for (int r = 0; r < decoderInputs.length; r++) {
            int[] t = targets.get(r);
            Arrays.fill(decoderInputs[r], config.padTokenId());
            decoderInputs[r][0] = config.decoderStartTokenId();
            for (int i = 0; i < t.length; i++) {
                if (i + 1 < width) {
                    decoderInputs[r][i + 1] = t[i];
                }
                picks[r * width + i] = t[i];
            }
        }
        try (BartDecoderState state = encoded.copyRows(rows); NDManager scope = manager.newSubManager()) {
            NDArray logits = decode(state, decoderInputs, scope);
            NDArray index = scope.create(picks, new Shape(targets.size(), width, 1));
            float[] picked = logits.logSoftmax(2).gather(index, 2).toFloatArray();
            double[] sums = new double[targets.size()];
            for (int r = 0; r < sums.length; r++) {
                for (int i = 0; i < targets.get(r).length; i++) {
                    sums[r] += picked[r * width + i];
                }
            }
            return sums;
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
