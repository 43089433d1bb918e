package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;

/**
 * An attention's keys, already transposed to {@code [batch, heads, head_dim, keys]} so the score matmul needs no
 * per-step transpose, and its values {@code [batch, heads, keys, head_dim]}.
 */
public record KeysAndValues(NDArray keysTransposed, NDArray values) {
}
