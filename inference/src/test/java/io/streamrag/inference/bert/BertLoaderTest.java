package io.streamrag.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.device.DeviceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertLoaderTest {
    @TempDir
    Path temp;

    @Test
    void headPrefixesPoolersAndOldNormNamesLoadTheSameEncoder() throws Exception {
        float[] plain = hidden(TinyBert.write(temp.resolve("plain"), "", "bert", false, false, 7));
        float[] bert = hidden(TinyBert.write(temp.resolve("bert"), "bert.", "bert", false, true, 7));
        float[] dpr = hidden(TinyBert.write(temp.resolve("dpr"), "question_encoder.bert_model.", "dpr", false,
                false, 7));
        float[] old = hidden(TinyBert.write(temp.resolve("old"), "", "bert", true, false, 7));
        float[] other = hidden(TinyBert.write(temp.resolve("other"), "", "bert", false, false, 8));

        assertThat(bert).containsExactly(plain);
        assertThat(dpr).containsExactly(plain);
        assertThat(old).containsExactly(plain);
        assertThat(other).isNotEqualTo(plain);
    }

    @Test
    void paddingMaskKeepsRealTokensUnchanged() throws Exception {
        Path folder = TinyBert.write(temp.resolve("mask"), "", "bert", false, false, 3);
        try (BertModel model = BertLoader.load(folder, DeviceSettings.CPU_FP32);
             NDManager scope = model.manager().newSubManager()) {
            NDArray alone = encode(model, scope, new long[][] {{1, 5, 6, 2}}, new long[][] {{1, 1, 1, 1}});
            NDArray padded = encode(model, scope, new long[][] {{1, 5, 6, 2, 0, 0}},
                    new long[][] {{1, 1, 1, 1, 0, 0}});
            float[] a = alone.toFloatArray();
            float[] p = padded.get(":, :4, :").toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(p[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void rejectsRobertaStyleConfigsAndMissingTensors() throws Exception {
        Path roberta = TinyBert.write(temp.resolve("roberta"), "", "roberta", false, false, 1);
        assertThatThrownBy(() -> BertLoader.load(roberta, DeviceSettings.CPU_FP32))
                .hasMessageContaining("model_type 'roberta'");

        Path broken = TinyBert.write(temp.resolve("broken"), "", "bert", false, false, 1);
        Files.writeString(broken.resolve("config.json"), Files.readString(broken.resolve("config.json"))
                .replace("\"num_hidden_layers\":2", "\"num_hidden_layers\":3"));
        assertThatThrownBy(() -> BertLoader.load(broken, DeviceSettings.CPU_FP32))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("encoder.layer.2.attention.self.query.weight");
    }

    @Test
    void encodingLeavesNoArraysBehind() throws Exception {
        Path folder = TinyBert.write(temp.resolve("leak"), "", "bert", false, false, 5);
        try (BertModel model = BertLoader.load(folder, DeviceSettings.CPU_FP32)) {
            int weights = model.manager().getManagedArrays().size();
            try (NDManager scope = model.manager().newSubManager()) {
                encode(model, scope, new long[][] {{1, 2, 3}, {4, 5, 0}}, new long[][] {{1, 1, 1}, {1, 1, 0}});
                assertThat(model.manager().getManagedArrays().size()).isGreaterThan(weights);
            }
            assertThat(model.manager().getManagedArrays()).hasSize(weights);
        }
    }

    private static float[] hidden(Path folder) throws IOException {
        try (BertModel model = BertLoader.load(folder, DeviceSettings.CPU_FP32);
             NDManager scope = model.manager().newSubManager()) {
            return encode(model, scope, new long[][] {{1, 7, 9, 2}, {1, 3, 2, 0}},
                    new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}}).toFloatArray();
        }
    }

    private static NDArray encode(BertModel model, NDManager scope, long[][] ids, long[][] mask) {
        NDArray idArray = scope.create(ids);
        return model.encode(idArray, scope.zeros(idArray.getShape(), idArray.getDataType()), scope.create(mask));
    }
}
