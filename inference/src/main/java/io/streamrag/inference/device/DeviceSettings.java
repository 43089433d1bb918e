package io.streamrag.inference.device;

/**
 * Device and precision of one model, validated together: bf16 is accepted only on a GPU because creating a bf16
 * array on DJL's CPU PyTorch build aborts the whole JVM (there is no CPU JNI mapping for it), and fp16 on CPU works
 * but is no faster than fp32.
 */
public record DeviceSettings(ComputeDevice device, Precision precision) {

    public static final DeviceSettings CPU_FP32 = new DeviceSettings(ComputeDevice.CPU, Precision.FP32);

    public DeviceSettings {
        if (device == null || precision == null) {
            throw new IllegalArgumentException("device and precision are required");
        }
        if (precision == Precision.BF16 && !device.isGpu()) {
            throw new IllegalArgumentException(
                    "precision bf16 needs a GPU device (cuda:N); on cpu use fp32 (got device " + device + ")");
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
