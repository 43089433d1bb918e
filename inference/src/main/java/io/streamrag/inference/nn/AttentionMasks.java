package io.streamrag.inference.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.streamrag.inference.device.Precision;

/**
 * Additive attention masks: 0 where a query may look, the precision's lowest finite value where it may not (finite,
 * so a sum of masks cannot overflow to NaN in fp16).
 */
public final class AttentionMasks {

    private AttentionMasks() {
    }

    /**
     * @param keep {@code [batch, length]}, 1 for tokens and 0 for padding, any numeric type
     * @return {@code [batch, 1, 1, length]} to broadcast over heads and queries, in {@code keep}'s manager
     */
    public static NDArray padding(NDArray keep, Precision precision) {
        return keep.toType(DataType.FLOAT32, false).neg().add(1f).mul(precision.lowest())
                .toType(precision.dataType(), false).expandDims(1).expandDims(1);
    }

    /** {@code [length, past + length]}: query i may see keys 0..past+i. No tril in DJL, so arange comparisons. */
    public static NDArray causal(NDManager scope, int past, int length, Precision precision) {
        NDArray keys = scope.arange(0f, past + length, 1f, DataType.FLOAT32).reshape(1, past + length);
        NDArray queries = scope.arange((float) past, past + length, 1f, DataType.FLOAT32).reshape(length, 1);
        return keys.gt(queries).toType(DataType.FLOAT32, false).mul(precision.lowest())
                .toType(precision.dataType(), false);
    }
}
