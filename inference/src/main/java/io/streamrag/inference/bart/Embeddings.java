package io.streamrag.inference.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.streamrag.inference.bart.BartWeights.Norm;

/**
 * BART's input embeddings for one side: {@code layernorm_embedding(tokens * embed_scale + positions)}, where
 * positions are learned and looked up at {@code position + 2}.
 */
final class Embeddings {
    private final NDArray tokenTable;
    private final NDArray positionTable;
    private final Norm norm;
    private final float scale;
    private final double eps;

    Embeddings(NDArray tokenTable, NDArray positionTable, Norm norm, float scale, double eps) {
        this.tokenTable = tokenTable;
        this.positionTable = positionTable;
        this.norm = norm;
        this.scale = scale;
        this.eps = eps;
    }

    /**
     * @param ids {@code [batch, length]} int64 token ids; the result belongs to their manager
     * @param firstPosition position of the first token (the decoder's cached length; 0 for the encoder)
     * @return {@code [batch, length, d_model]}
     */
    NDArray forward(NDArray ids, int firstPosition) {
        long length = ids.getShape().get(1);
        NDArray tokens = Embedding.embedding(ids, tokenTable, SparseFormat.DENSE).singletonOrThrow();
        if (scale != 1f) {
            tokens = tokens.mul(scale);
        }
        int first = firstPosition + BartConfig.POSITION_OFFSET;
        NDArray positionIds = ids.getManager().arange(first, first + (int) length, 1, DataType.INT64);
        NDArray positions = Embedding.embedding(positionIds, positionTable, SparseFormat.DENSE).singletonOrThrow();
        return norm.apply(tokens.add(positions), eps);
    }

    int maxPositions() {
        return (int) positionTable.getShape().get(0) - BartConfig.POSITION_OFFSET;
    }
}
