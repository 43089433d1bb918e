package io.streamrag.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.streamrag.inference.bert.BertLoader;
import io.streamrag.inference.bert.BertModel;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.bert.TinyBert;
import io.streamrag.inference.device.DeviceSettings;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph built from a checkpoint computes what our Java BERT computes from the same checkpoint. */
class BertOnnxGraphTest {
    private static final long[] QUESTION_IDS = {101, 2040, 2180, 1996, 2088, 2186, 1999, 12609, 1029, 102};

    @TempDir
    Path temp;

    static OrtEnvironment env;

    @BeforeAll
    static void environment() {
        Engine.getEngine("OnnxRuntime"); // DJL creates the one environment of the process
        env = OrtEnvironment.getEnvironment();
    }

    @Test
    void miniLmLastHiddenStateHasTheFixtureReadmeValues() throws Exception {
        float[][][] hidden = run(BertOnnxGraph.build(MiniLmFixture.folder(), BertOnnxGraph.Pooling.NONE),
                new long[][] {QUESTION_IDS}, ones(1, QUESTION_IDS.length), BertOnnxGraph.LAST_HIDDEN_STATE);
        float[] token0 = new float[5];
        float[] mean = new float[5];
        for (int d = 0; d < 5; d++) {
            token0[d] = hidden[0][0][d];
            for (float[] token : hidden[0]) {
                mean[d] += token[d] / QUESTION_IDS.length;
            }
        }
        assertThat(token0).containsExactly(new float[] {0.124054f, 0.356720f, 0.306985f, 0.120617f, 0.054982f},
                within(2e-5f));
        assertThat(mean).containsExactly(new float[] {-0.280737f, 0.674045f, -0.204855f, 0.164584f, 0.021463f},
                within(2e-5f));
    }

    @Test
    void tinyBertsWithHeadPrefixesOldNormNamesAndExtraTensorsMatchTheJavaEncoder() throws Exception {
        String[][] variants = {{"", "bert"}, {"bert.", "bert"}, {"question_encoder.bert_model.", "dpr"}};
        for (int v = 0; v < variants.length; v++) {
            Path folder = TinyBert.write(temp.resolve("tiny" + v), variants[v][0], variants[v][1], v == 1, v > 0, 7 + v);
            long[][] ids = randomIds(3, 9, new Random(v));
            long[][] mask = ones(3, 9);
            mask[1][6] = mask[1][7] = mask[1][8] = 0; // right padding
            mask[2][8] = 0;
            long[][] types = new long[3][9];
            types[0][5] = types[0][6] = 1;

            float[][][] fromGraph = run(BertOnnxGraph.build(folder, BertOnnxGraph.Pooling.NONE), ids, mask, types,
                    BertOnnxGraph.LAST_HIDDEN_STATE);
            float[][][] fromJava = java(folder, ids, mask, types);
            for (int b = 0; b < 3; b++) {
                for (int t = 0; t < 9; t++) {
                    if (mask[b][t] == 1) {
                        assertThat(fromGraph[b][t]).as("variant %d row %d token %d", v, b, t)
                                .containsExactly(fromJava[b][t], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void meanAndClsPoolingInTheGraphPoolTheUnmaskedTokens() throws Exception {
        Path folder = TinyBert.write(temp.resolve("pooled"), "", "bert", false, false, 3);
        long[][] ids = randomIds(2, 6, new Random(5));
        long[][] mask = ones(2, 6);
        mask[1][4] = mask[1][5] = 0;
        long[][] types = new long[2][6];
        float[][][] hidden = run(BertOnnxGraph.build(folder, BertOnnxGraph.Pooling.NONE), ids, mask, types,
                BertOnnxGraph.LAST_HIDDEN_STATE);
        float[][] mean = run2d(BertOnnxGraph.build(folder, BertOnnxGraph.Pooling.MEAN), ids, mask, types);
        float[][] cls = run2d(BertOnnxGraph.build(folder, BertOnnxGraph.Pooling.CLS), ids, mask, types);
        for (int b = 0; b < 2; b++) {
            int count = b == 0 ? 6 : 4;
            float[] expected = new float[TinyBert.HIDDEN];
            for (int t = 0; t < count; t++) {
                for (int d = 0; d < TinyBert.HIDDEN; d++) {
                    expected[d] += hidden[b][t][d] / count;
                }
            }
            assertThat(mean[b]).containsExactly(expected, within(1e-5f));
            assertThat(cls[b]).containsExactly(hidden[b][0], within(0f));
        }
    }

    @Test
    void aConfigThatDisagreesWithTheWeightsIsRefusedWithTheTensorName() throws Exception {
        Path folder = TinyBert.write(temp.resolve("wrong"), "", "bert", false, false, 1);
        Files.writeString(folder.resolve("config.json"), Files.readString(folder.resolve("config.json"))
                .replace("\"intermediate_size\":16", "\"intermediate_size\":32"));
        assertThatThrownBy(() -> BertOnnxGraph.build(folder, BertOnnxGraph.Pooling.MEAN))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("encoder.layer.0.intermediate.dense.weight has shape [16, 8]")
                .hasMessageContaining("[32, 8]");
    }

    private float[][][] java(Path folder, long[][] ids, long[][] mask, long[][] types) throws Exception {
        try (BertModel model = BertLoader.load(folder, DeviceSettings.CPU_FP32);
             NDManager scope = model.manager().newSubManager()) {
            NDArray out = model.encode(scope.create(ids), scope.create(types), scope.create(mask));
            return reshape(out.toFloatArray(), ids.length, ids[0].length);
        }
    }

    private static float[][][] run(byte[] model, long[][] ids, long[][] mask, String output) throws Exception {
        return run(model, ids, mask, new long[ids.length][ids[0].length], output);
    }

    private static float[][][] run(byte[] model, long[][] ids, long[][] mask, long[][] types, String output)
            throws Exception {
        return reshape(runFlat(model, ids, mask, types, output), ids.length, ids[0].length);
    }

    private static float[][] run2d(byte[] model, long[][] ids, long[][] mask, long[][] types) throws Exception {
        float[] flat = runFlat(model, ids, mask, types, BertOnnxGraph.SENTENCE_EMBEDDING);
        int dim = flat.length / ids.length;
        float[][] out = new float[ids.length][dim];
        for (int b = 0; b < ids.length; b++) {
            System.arraycopy(flat, b * dim, out[b], 0, dim);
        }
        return out;
    }

    private static float[] runFlat(byte[] model, long[][] ids, long[][] mask, long[][] types, String output)
            throws Exception {
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor i = tensor(ids);
             OnnxTensor m = tensor(mask);
             OnnxTensor t = tensor(types);
             OrtSession.Result result = session.run(Map.of("input_ids", i, "attention_mask", m,
                     "token_type_ids", t))) {
            FloatBuffer values = ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
            float[] flat = new float[values.remaining()];
            values.get(flat);
            return flat;
        }
    }

    private static OnnxTensor tensor(long[][] values) throws Exception {
        long[] flat = new long[values.length * values[0].length];
        for (int r = 0; r < values.length; r++) {
            System.arraycopy(values[r], 0, flat, r * values[0].length, values[0].length);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {values.length, values[0].length});
    }

    private static float[][][] reshape(float[] flat, int batch, int length) {
        int dim = flat.length / (batch * length);
        float[][][] out = new float[batch][length][dim];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                System.arraycopy(flat, (b * length + t) * dim, out[b][t], 0, dim);
            }
        }
        return out;
    }

    private static long[][] ones(int batch, int length) {
        long[][] m = new long[batch][length];
        for (long[] row : m) {
            java.util.Arrays.fill(row, 1);
        }
        return m;
    }

    private static long[][] randomIds(int batch, int length, Random random) {
        long[][] ids = new long[batch][length];
        for (long[] row : ids) {
            for (int t = 0; t < length; t++) {
                row[t] = random.nextInt(TinyBert.VOCAB);
            }
        }
        return ids;
    }
}
