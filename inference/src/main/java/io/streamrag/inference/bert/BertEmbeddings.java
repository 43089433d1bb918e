package io.streamrag.inference.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/** Word + absolute position + token type embeddings, then LayerNorm. */
final class BertEmbeddings {
    private final NDArray words;
    private final NDArray positions;
    /** Null when the checkpoint has no token type table (type_vocab_size 0). */
    private final NDArray tokenTypes;
    private final LayerNorm norm;

    BertEmbeddings(NDArray words, NDArray positions, NDArray tokenTypes, LayerNorm norm) {
        this.words = words;
        this.positions = positions;
        this.tokenTypes = tokenTypes;
        this.norm = norm;
    }

    /** ids and typeIds are int64 [batch, length]; returns [batch, length, hidden]. */
    NDArray forward(NDArray ids, NDArray typeIds) {
        long length = ids.getShape().get(1);
        // Embedding.embedding (not words.get(ids)) so results belong to the ids' manager, not the weights'.
        NDArray positionIds = ids.getManager().arange(0, length, 1, DataType.INT64).expandDims(0);
        NDArray x = lookup(ids, words).add(lookup(positionIds, positions));
        if (tokenTypes != null) {
            x = x.add(lookup(typeIds, tokenTypes));
        }
        return norm.apply(x);
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }
}
