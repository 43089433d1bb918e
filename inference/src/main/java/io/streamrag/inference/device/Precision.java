package io.streamrag.inference.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/** The floating-point type a model's weights and activations use ({@link DeviceSettings} says which are usable). */
public enum Precision {
    FP32(DataType.FLOAT32),
    FP16(DataType.FLOAT16),
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Parses {@code fp32}, {@code fp16}, {@code bf16} (also {@code float32}, {@code float16}, {@code bfloat16}). */
    public static Precision parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "fp32":
            case "float32":
                return FP32;
            case "fp16":
            case "float16":
            case "half":
                return FP16;
            case "bf16":
            case "bfloat16":
                return BF16;
            default:
                throw new IllegalArgumentException("precision '" + spec + "' is not one of fp32, fp16, bf16");
        }
    }

    /**
     * Casts weights read as fp32 (checkpoint readers widen every stored type) to this precision on their device;
     * the fp32 array is freed when a copy was made.
     */
    public NDArray narrow(NDArray fp32) {
        if (fp32.getDataType() == dataType) {
            return fp32;
        }
        NDArray narrowed = fp32.toType(dataType, false);
        fp32.close();
        return narrowed;
    }

    /** The most negative finite value of this type: an additive attention mask that cannot overflow to NaN. */
    public float lowest() {
        return this == FP16 ? -65504f : -Float.MAX_VALUE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
