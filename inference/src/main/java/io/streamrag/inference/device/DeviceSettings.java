package io.streamrag.inference.device;

/**
 * Device and precision of one model, validated together at start-up.
 *
 * <p>bf16 is refused on every device: DJL 0.35.1's PyTorch JNI has no bf16 type mapping, and any bf16 array
 * (created, or cast to) ends the JVM with "terminate called without an active exception" (checked on CPU; the
 * mapping is the same code for CUDA). bf16 checkpoints still load: the reader widens them to fp32. Use fp16 for
 * half precision on a GPU; on CPU fp16 works but is no faster than fp32.
 */
public record DeviceSettings(ComputeDevice device, Precision precision) {

    public static final DeviceSettings CPU_FP32 = new DeviceSettings(ComputeDevice.CPU, Precision.FP32);

    public DeviceSettings {
        if (device == null || precision == null) {
            throw new IllegalArgumentException("device and precision are required");
        }
        if (precision == Precision.BF16) {
            throw new IllegalArgumentException("precision bf16 is not available on " + device + ": DJL's PyTorch"
                    + " JNI has no bfloat16 mapping (any bf16 array aborts the JVM); use fp16 on a GPU or fp32."
                    + " bf16 checkpoints load fine, widened to fp32");
        }
    }

    public static DeviceSettings parse(String device, String precision) {
        return new DeviceSettings(ComputeDevice.parse(device), Precision.parse(precision));
    }

    @Override
    public String toString() {
        return device + "/" + precision;
    }
}
