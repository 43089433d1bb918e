package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.checkpoint.Checkpoint;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.nn.Activation;
import io.streamrag.inference.nn.Embeddings;
import io.streamrag.inference.nn.EncoderLayer;
import io.streamrag.inference.nn.FeedForward;
import io.streamrag.inference.nn.LayerNorm;
import io.streamrag.inference.nn.Linear;
import io.streamrag.inference.nn.MultiHeadAttention;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link BertModel} from a Hugging Face folder ({@code config.json} + safetensors). This is the one place
 * that knows checkpoint parameter names. Handles the prefixes different heads put in front of the encoder
 * ({@code bert.}, DPR's {@code question_encoder.bert_model.}, ...), checkpoints without a pooler, and the old
 * {@code LayerNorm.gamma/beta} spelling.
 */
public final class BertLoader {
    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private BertLoader() {
    }

    public static BertModel load(Path directory, DeviceSettings settings) throws IOException {
        settings.device().requireAvailable();
        BertConfig config = BertConfig.read(directory.resolve("config.json"));
        Checkpoint checkpoint = Checkpoint.open(directory);
        NDManager weights = NDManager.newBaseManager(settings.device().toDjl(), "PyTorch");
        try {
            Tensors tensors = new Tensors(checkpoint, encoderPrefix(checkpoint), weights, settings.precision());
            Embeddings embeddings = new Embeddings(
                    tensors.get("embeddings.word_embeddings.weight"), 1f,
                    tensors.get("embeddings.position_embeddings.weight"), 0,
                    tensors.optional("embeddings.token_type_embeddings.weight"),
                    layerNorm(tensors, "embeddings.LayerNorm", config));
            List<EncoderLayer> layers = new ArrayList<>();
            for (int i = 0; i < config.layerCount(); i++) {
                String p = "encoder.layer." + i + ".";
                MultiHeadAttention attention = new MultiHeadAttention(
                        linear(tensors, p + "attention.self.query"),
                        linear(tensors, p + "attention.self.key"),
                        linear(tensors, p + "attention.self.value"),
                        linear(tensors, p + "attention.output.dense"),
                        config.headCount());
                FeedForward feedForward = new FeedForward(
                        linear(tensors, p + "intermediate.dense"),
                        linear(tensors, p + "output.dense"),
                        Activation.GELU);
                layers.add(new EncoderLayer(attention, layerNorm(tensors, p + "attention.output.LayerNorm", config),
                        feedForward, layerNorm(tensors, p + "output.LayerNorm", config)));
            }
            return new BertModel(config, settings.precision(), embeddings, layers, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw new IOException("cannot load a BERT encoder from " + directory + ": " + e.getMessage(), e);
        }
    }

    /** What stands before {@code embeddings.word_embeddings.weight}: "", "bert.", "ctx_encoder.bert_model.", ... */
    public static String encoderPrefix(Checkpoint checkpoint) {
        return checkpoint.names().stream()
                .filter(n -> n.endsWith(WORD_EMBEDDINGS))
                .map(n -> n.substring(0, n.length() - WORD_EMBEDDINGS.length()))
                .filter(p -> p.isEmpty() || p.endsWith("."))
                .min((a, b) -> Integer.compare(a.length(), b.length()))
                .orElseThrow(() -> new IllegalArgumentException(
                        "no tensor named *" + WORD_EMBEDDINGS + " in " + checkpoint.directory()));
    }

    private static Linear linear(Tensors tensors, String name) {
        return new Linear(tensors.get(name + ".weight"), tensors.get(name + ".bias"));
    }

    private static LayerNorm layerNorm(Tensors tensors, String name, BertConfig config) {
        return new LayerNorm(tensors.get(name + ".weight", name + ".gamma"),
                tensors.get(name + ".bias", name + ".beta"), config.layerNormEps());
    }

    /** Looks tensors up under the encoder prefix and casts them to the model precision on the target device. */
    private static final class Tensors {
        private final Checkpoint checkpoint;
        private final String prefix;
        private final NDManager manager;
        private final Precision precision;

        Tensors(Checkpoint checkpoint, String prefix, NDManager manager, Precision precision) {
            this.checkpoint = checkpoint;
            this.prefix = prefix;
            this.manager = manager;
            this.precision = precision;
        }

        NDArray get(String name, String... alternatives) {
            NDArray found = optional(name);
            for (int i = 0; found == null && i < alternatives.length; i++) {
                found = optional(alternatives[i]);
            }
            if (found == null) {
                throw new IllegalArgumentException("checkpoint " + checkpoint.directory() + " has no tensor "
                        + prefix + name);
            }
            return found;
        }

        NDArray optional(String name) {
            if (!checkpoint.contains(prefix + name)) {
                return null;
            }
            return precision.narrow(checkpoint.load(prefix + name, manager));
        }
    }
}
