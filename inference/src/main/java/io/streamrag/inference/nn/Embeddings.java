package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Input embeddings with learned absolute positions:
 * {@code LN(tokens[ids] * scale + positions[offset + position] (+ tokenTypes[typeIds]))}. BERT has token types,
 * scale 1 and offset 0; BART has no token types, scales by sqrt(d_model) when configured and stores two extra
 * leading position rows (offset 2).
 */
public final class Embeddings {
    private final NDArray tokens;
    private final float scale;
    private final NDArray positions;
    private final int positionOffset;
    /** Null when the model has no token type table. */
    private final NDArray tokenTypes;
    private final LayerNorm norm;

    public Embeddings(NDArray tokens, float scale, NDArray positions, int positionOffset, NDArray tokenTypes,
                      LayerNorm norm) {
        this.tokens = tokens;
        this.scale = scale;
        this.positions = positions;
        this.positionOffset = positionOffset;
        this.tokenTypes = tokenTypes;
        this.norm = norm;
    }

    /**
     * @param ids {@code [batch, length]} int64 token ids; the result belongs to their manager
     * @param typeIds {@code [batch, length]} int64 token type ids; ignored when the model has no token types
     * @param firstPosition position of the first token (a decoder's cached length; 0 for an encoder)
     * @return {@code [batch, length, width]}
     */
    public NDArray forward(NDArray ids, NDArray typeIds, int firstPosition) {
        int length = Math.toIntExact(ids.getShape().get(1));
        NDArray x = lookup(ids, tokens);
        if (scale != 1f) {
            x = x.mul(scale);
        }
        int first = firstPosition + positionOffset;
        NDArray positionIds = ids.getManager().arange(first, first + length, 1, DataType.INT64);
        x = x.add(lookup(positionIds, positions));
        if (tokenTypes != null) {
            x = x.add(lookup(typeIds, tokenTypes));
        }
        return norm.apply(x);
    }

    /** How many positions the table holds. */
    public int maxPositions() {
        return (int) positions.getShape().get(0) - positionOffset;
    }

    /** Embedding.embedding (not table.get(ids)) so results belong to the ids' manager, not the weights'. */
    private static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
