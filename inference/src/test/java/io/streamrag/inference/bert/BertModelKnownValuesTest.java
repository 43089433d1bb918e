package io.streamrag.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamrag.inference.device.DeviceSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The values written down in the fixture's README when it was checked against ONNX Runtime. */
class BertModelKnownValuesTest {
    private static final String QUESTION = "Who won the world series in 2020?";
    private static final long[] QUESTION_IDS = {101, 2040, 2180, 1996, 2088, 2186, 1999, 12609, 1029, 102};

    @Test
    void tokenizerGivesTheReadmeIds() throws Exception {
        Path folder = MiniLmFixture.folder();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"))) {
            assertThat(tokenizer.encode(QUESTION).getIds()).containsExactly(QUESTION_IDS);
        }
    }

    @Test
    void lastHiddenStateHasTheReadmeValues() throws Exception {
        try (BertModel model = BertLoader.load(MiniLmFixture.folder(), DeviceSettings.CPU_FP32);
             NDManager scope = model.manager().newSubManager()) {
            NDArray ids = scope.create(new long[][] {QUESTION_IDS});
            NDArray types = scope.zeros(ids.getShape(), ids.getDataType());
            NDArray mask = scope.ones(ids.getShape(), ids.getDataType());

            NDArray hidden = model.encode(ids, types, mask);

            assertThat(hidden.getShape().getShape()).containsExactly(1, 10, 384);
            float[] token0 = hidden.get("0, 0, :5").toFloatArray();
            float[] mean = hidden.get(0).mean(new int[] {0}).get(":5").toFloatArray();
            assertThat(token0).containsExactly(new float[] {0.124054f, 0.356720f, 0.306985f, 0.120617f, 0.054982f},
                    within(2e-5f));
            assertThat(mean).containsExactly(new float[] {-0.280737f, 0.674045f, -0.204855f, 0.164584f, 0.021463f},
                    within(2e-5f));
        }
    }
}
