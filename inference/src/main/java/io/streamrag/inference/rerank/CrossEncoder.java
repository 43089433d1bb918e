package io.streamrag.inference.rerank;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import io.streamrag.inference.bert.BertLoader;
import io.streamrag.inference.bert.BertModel;
import io.streamrag.inference.checkpoint.Checkpoint;
import io.streamrag.inference.device.DeviceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A cross-encoder reranker: a Hugging Face {@code BertForSequenceClassification} checkpoint (the MS MARCO MiniLM
 * cross-encoders, say) that reads a (question, passage) pair as one input, {@code [CLS] question [SEP] passage [SEP]},
 * and scores how well the passage answers. The encoder is the project's Java BERT ({@link BertLoader}); the head is
 * {@link ClassifierHead}. Pairs are tokenised by the checkpoint's {@code tokenizer.json}, padded to the longest pair
 * of the batch, and truncated in the passage only (HF's {@code truncation="only_second"}) to the model's positions.
 *
 * <p>Thread-safe: weights are only read; every call's arrays live in a sub-manager closed before it returns.
 */
public final class CrossEncoder implements AutoCloseable {

    private final BertModel encoder;
    private final ClassifierHead head;
    private final HuggingFaceTokenizer tokenizer;
    private final String name;

    private CrossEncoder(BertModel encoder, ClassifierHead head, HuggingFaceTokenizer tokenizer, String name) {
        this.encoder = encoder;
        this.head = head;
        this.tokenizer = tokenizer;
        this.name = name;
    }

    /** Loads {@code config.json}, the safetensors weights and {@code tokenizer.json} from a local folder. */
    public static CrossEncoder load(Path directory, DeviceSettings settings) throws IOException {
        if (!Files.isRegularFile(directory.resolve("tokenizer.json"))) {
            throw new IOException("cross-encoder folder " + directory + " has no tokenizer.json");
        }
        BertModel encoder = BertLoader.load(directory, settings);
        try {
            Checkpoint checkpoint = Checkpoint.open(directory);
            ClassifierHead head = ClassifierHead.load(checkpoint, BertLoader.encoderPrefix(checkpoint),
                    encoder.manager(), settings.precision());
            if (head.labels() > 2) {
                throw new IOException("cross-encoder " + directory + " has " + head.labels()
                        + " labels; a relevance score needs 1 (a logit) or 2 (not relevant, relevant)");
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(directory)
                    .optTruncateSecondOnly()
                    .optMaxLength(encoder.config().maxPositions())
                    .optPadding(true)
                    .build();
            Path folder = directory.getFileName();
            return new CrossEncoder(encoder, head, tokenizer, folder == null ? directory.toString() : folder.toString());
        } catch (IOException | RuntimeException e) {
            encoder.close();
            throw e instanceof IOException io ? io : new IOException("cannot load a cross-encoder from " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** The raw logits [pairs][labels] of {@code (firsts[i], seconds[i])}, as HF's model returns them. */
    public float[][] logits(List<String> firsts, List<String> seconds) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException(firsts.size() + " questions but " + seconds.size() + " passages");
        }
        if (firsts.isEmpty()) {
            return new float[0][];
        }
        PairList<String, String> pairs = new PairList<>(firsts, seconds);
        Encoding[] encodings = tokenizer.batchEncode(pairs);
        int batch = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[batch * length];
        long[] types = new long[batch * length];
        long[] mask = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * length, length);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, length);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * length, length);
        }
        try (NDManager scope = encoder.manager().newSubManager()) {
            Shape shape = new Shape(batch, length);
            NDArray hidden = encoder.encode(scope.create(ids, shape), scope.create(types, shape),
                    scope.create(mask, shape));
            float[] flat = head.logits(hidden).toType(DataType.FLOAT32, false).toFloatArray();
            int labels = head.labels();
            float[][] logits = new float[batch][labels];
            for (int i = 0; i < batch; i++) {
                System.arraycopy(flat, i * labels, logits[i], 0, labels);
            }
            return logits;
        }
    }

    /**
     * One relevance score per passage for {@code question}, higher is more relevant: the logit of a one-label
     * model, or relevant minus not-relevant for a two-label one (the log-odds its softmax gives).
     */
    public double[] score(String question, List<String> passages) {
        float[][] logits = logits(java.util.Collections.nCopies(passages.size(), question), passages);
        double[] scores = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = logits[i].length == 1 ? logits[i][0] : logits[i][1] - logits[i][0];
        }
        return scores;
    }

    @Override
    public void close() {
        tokenizer.close();
        encoder.close();
    }
}
