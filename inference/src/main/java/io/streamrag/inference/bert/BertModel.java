package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.streamrag.inference.device.Precision;
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
    private final BertEmbeddings embeddings;
    private final List<EncoderLayer> layers;
    private final NDManager weights;

    BertModel(BertConfig config, Precision precision, BertEmbeddings embeddings, List<EncoderLayer> layers,
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
        NDArray hidden = embeddings.forward(ids, typeIds);
        NDArray additiveMask = additiveMask(attentionMask);
        for (EncoderLayer layer : layers) {
            hidden = layer.forward(hidden, additiveMask);
        }
        return hidden;
    }

    /** 1 -> 0 and 0 -> the lowest finite value, shaped [batch, 1, 1, length] to broadcast over heads and queries. */
    private NDArray additiveMask(NDArray attentionMask) {
        DataType type = precision.dataType();
        return attentionMask.toType(DataType.FLOAT32, false).neg().add(1f).mul(precision.lowest())
                .toType(type, false).expandDims(1).expandDims(1);
    }

    @Override
    public void close() {
        weights.close();
    }
}
