package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.inference.device.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fp16 path a GPU would take (weights narrowed at load, fp16 activations and mask, fp32 pooling), run on CPU
 * where PyTorch also has fp16 kernels: it must stay close to fp32.
 */
class HalfPrecisionTest {

    @Test
    void fp16EmbeddingsStayCloseToFp32() throws Exception {
        EmbedderOptions options = EmbedderOptions.defaults().withMeterRegistry(new SimpleMeterRegistry());
        List<String> texts = List.of("Who won the world series in 2020?", "", "Half precision on a GPU.");
        try (SentenceEmbedder fp32 = SentenceEmbedder.open(MiniLmFixture.folder(), options);
             SentenceEmbedder fp16 = SentenceEmbedder.open(MiniLmFixture.folder(),
                     options.withDevice(DeviceSettings.parse("cpu", "fp16")))) {
            assertThat(fp16.model().precision()).isEqualTo(Precision.FP16);
            List<float[]> full = fp32.embed(texts);
            List<float[]> half = fp16.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(Vectors.cosine(full.get(i), half.get(i))).as(texts.get(i)).isGreaterThan(0.999);
                assertThat(Vectors.maxAbsDifference(full.get(i), half.get(i))).as(texts.get(i)).isGreaterThan(0);
            }
        }
    }
}
