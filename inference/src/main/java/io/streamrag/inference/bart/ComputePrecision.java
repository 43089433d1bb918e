package io.streamrag.inference.bart;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/** The dtype the model computes in. Checkpoints of any stored dtype are widened to fp32 first, then cast. */
public enum ComputePrecision {
    FP32(DataType.FLOAT32),
    /** GPU only: PyTorch's fp16 matmuls on CPU are slower than fp32 and lose precision for nothing. */
    FP16(DataType.FLOAT16),
    /**
     * Rejected: DJL 0.35's PyTorch JNI has no bf16 mapping and aborts the JVM on the first bf16 array. Listed so
     * the error message can say why instead of "unknown precision".
     */
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    ComputePrecision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Throws when this precision cannot run on the device. */
    public void checkSupportedOn(Device device) {
        if (this == BF16) {
            throw new IllegalArgumentException("bf16 compute is not supported: DJL's PyTorch JNI has no bfloat16"
                    + " mapping (the JVM aborts); use fp16 on GPU or fp32. bf16 checkpoints load fine as fp32.");
        }
        if (this == FP16 && !device.isGpu()) {
            throw new IllegalArgumentException("fp16 is for GPUs only (device " + device + "); use fp32 on CPU");
        }
    }

    public static ComputePrecision parse(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
