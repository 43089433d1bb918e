package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.device.Precision;
import io.streamrag.inference.nn.AttentionMasks;
import io.streamrag.inference.nn.Embeddings;
import io.streamrag.inference.nn.EncoderLayer;
import java.util.List;

/**
 * A BERT encoder: embeddings, then the encoder layers; returns the last hidden state. The pooler is not part of it:
 * sentence embedders pool the hidden state themselves, and DPR's "pooler output" is the [CLS] hidden state.
 *
 * <p>Owns the manager holding its weights; {@link #close()} frees them. Thread-safe: the weights are only read and
 * every call's arrays live in the caller's manager.
 */
public final class BertModel implements AutoCloseable {
    private final BertConfig config;
    private final Precision precision;
    private final Embeddings embeddings;
    private final List<EncoderLayer> layers;
    private final NDManager weights;

    BertModel(BertConfig config, Precision precision, Embeddings embeddings, List<EncoderLayer> layers,
              NDManager weights) {
        this.config = config;
        this.precision = precision;
        this.embeddings = embeddings;
        this.layers = List.copyOf(layers);
        this.weights = weights;
    }

    public BertConfig config() {
        return config;
    }

    public Precision precision() {
        return precision;
    }

    /** The manager holding the weights; per-call scopes are opened as its sub-managers. */
    public NDManager manager() {
        return weights;
    }

    /**
     * ids, typeIds, attentionMask: int64 [batch, length], all in the caller's scope. Returns the last hidden state
     * [batch, length, hidden] in the model's precision, attached to the ids' manager.
     */
    public NDArray encode(NDArray ids, NDArray typeIds, NDArray attentionMask) {
        long length = ids.getShape().get(1);
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + length + " tokens is longer than the model's "
                    + config.maxPositions() + " positions; truncate before encoding");
        }
        NDArray hidden = embeddings.forward(ids, typeIds, 0);
        NDArray additiveMask = AttentionMasks.padding(attentionMask, precision);
        for (EncoderLayer layer : layers) {
            hidden = layer.forward(hidden, additiveMask);
        }
        return hidden;
    }

    @Override
    public void close() {
        weights.close();
    }
}
