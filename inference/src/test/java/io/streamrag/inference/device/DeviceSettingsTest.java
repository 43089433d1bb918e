package io.streamrag.inference.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceSettingsTest {

    @Test
    void parsesCpuAndCudaDevices() {
        assertThat(ComputeDevice.parse("cpu")).isEqualTo(ComputeDevice.CPU);
        assertThat(ComputeDevice.parse("CUDA:1")).isEqualTo(ComputeDevice.cuda(1));
        assertThat(ComputeDevice.parse("cuda")).isEqualTo(ComputeDevice.cuda(0));
        assertThat(ComputeDevice.parse("gpu:2").toDjl()).isEqualTo(Device.gpu(2));
        assertThat(ComputeDevice.parse("cpu").toDjl()).isEqualTo(Device.cpu());
        assertThat(ComputeDevice.cuda(3).toString()).isEqualTo("cuda:3");
        assertThatThrownBy(() -> ComputeDevice.parse("tpu")).hasMessageContaining("not one of cpu, cuda, cuda:N");
        assertThatThrownBy(() -> ComputeDevice.parse("cuda:x")).hasMessageContaining("must be a number");
    }

    @Test
    void anAbsentGpuFailsWithSetUpInstructions() {
        ComputeDevice.CPU.requireAvailable();
        assertThatThrownBy(() -> ComputeDevice.cuda(99).requireAvailable())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("device cuda:99 is not available")
                .hasMessageContaining("PYTORCH_FLAVOR=cu128");
    }

    @Test
    void parsesPrecisions() {
        assertThat(Precision.parse("fp16")).isEqualTo(Precision.FP16);
        assertThat(Precision.parse("bfloat16")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("FP32")).isEqualTo(Precision.FP32);
        assertThatThrownBy(() -> Precision.parse("int8")).hasMessageContaining("not one of fp32, fp16, bf16");
    }

    @Test
    void bf16IsRefusedAtConfigurationTimeBeforeAnyArrayCouldAbortTheJvm() {
        assertThatThrownBy(() -> DeviceSettings.parse("cpu", "bf16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bf16 is not available on cpu");
        assertThatThrownBy(() -> DeviceSettings.parse("cuda:0", "bf16"))
                .hasMessageContaining("use fp16 on a GPU");
        assertThat(DeviceSettings.parse("cuda:0", "fp16").precision()).isEqualTo(Precision.FP16);
        assertThat(DeviceSettings.parse("cpu", "fp16").device()).isEqualTo(ComputeDevice.CPU);
    }
}
