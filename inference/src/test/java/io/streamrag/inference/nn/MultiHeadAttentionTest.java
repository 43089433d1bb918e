package io.streamrag.inference.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamrag.inference.device.Precision;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared attention block against a plain-Java reference, and its cache against a full pass. */
class MultiHeadAttentionTest {
    private static final int WIDTH = 6;
    private static final int HEADS = 2;
    private static final int LENGTH = 4;

    private final SplittableRandom random = new SplittableRandom(7);
    private NDManager manager;
    private float[][][] weights;
    private float[][] biases;
    private MultiHeadAttention attention;

    @BeforeEach
    void randomAttention() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        weights = new float[4][WIDTH][WIDTH];
        biases = new float[4][WIDTH];
        Linear[] linears = new Linear[4];
        for (int p = 0; p < 4; p++) {
            float[] flat = new float[WIDTH * WIDTH];
            for (int o = 0; o < WIDTH; o++) {
                for (int i = 0; i < WIDTH; i++) {
                    weights[p][o][i] = (float) random.nextDouble(-1, 1);
                    flat[o * WIDTH + i] = weights[p][o][i];
                }
                biases[p][o] = (float) random.nextDouble(-0.5, 0.5);
            }
            linears[p] = new Linear(manager.create(flat, new Shape(WIDTH, WIDTH)), manager.create(biases[p]));
        }
        attention = new MultiHeadAttention(linears[0], linears[1], linears[2], linears[3], HEADS);
    }

    @AfterEach
    void free() {
        manager.close();
    }

    @Test
    void selfAttentionWithAPaddingMaskMatchesThePlainFormula() {
        float[][] x = randomRows(LENGTH);
        boolean[] keep = {true, true, true, false};
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(flatten(x), new Shape(1, LENGTH, WIDTH));
            float[] keepFlags = {1, 1, 1, 0};
            NDArray mask = AttentionMasks.padding(scope.create(keepFlags, new Shape(1, LENGTH)), Precision.FP32);
            float[] actual = attention.forward(input, mask).toFloatArray();
            float[] expected = flatten(reference(x, x, (query, key) -> keep[key]));
            assertThat(actual).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void decodingOnePositionAtATimeThroughTheCacheEqualsOneCausalPass() {
        float[][] x = randomRows(LENGTH);
        float[] expected = flatten(reference(x, x, (query, key) -> key <= query));
        try (NDManager scope = manager.newSubManager()) {
            NDArray full = scope.create(flatten(x), new Shape(1, LENGTH, WIDTH));
            NDArray causal = AttentionMasks.causal(scope, 0, LENGTH, Precision.FP32);
            assertThat(attention.forward(full, causal).toFloatArray()).containsExactly(expected, within(1e-4f));

            KeyValueCache cache = new KeyValueCache(scope);
            float[] stepwise = new float[LENGTH * WIDTH];
            for (int t = 0; t < LENGTH; t++) {
                NDArray step = scope.create(x[t], new Shape(1, 1, WIDTH));
                KeysAndValues seen = cache.append(attention.project(step));
                assertThat(seen.values().getShape()).isEqualTo(new Shape(1, HEADS, t + 1, WIDTH / HEADS));
                System.arraycopy(attention.forward(step, seen, null).toFloatArray(), 0, stepwise, t * WIDTH, WIDTH);
            }
            assertThat(stepwise).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void gatheredCacheRowsFollowTheirSources() {
        try (NDManager scope = manager.newSubManager()) {
            float[][] a = randomRows(2);
            float[][] b = randomRows(2);
            float[] both = new float[2 * 2 * WIDTH];
            System.arraycopy(flatten(a), 0, both, 0, 2 * WIDTH);
            System.arraycopy(flatten(b), 0, both, 2 * WIDTH, 2 * WIDTH);
            NDArray inputs = scope.create(both, new Shape(2, 2, WIDTH));
            KeyValueCache cache = new KeyValueCache(scope, attention.project(inputs));
            NDArray index = scope.create(new long[] {1, 1, 0});
            KeyValueCache copy = cache.copyRows(index, scope);
            cache.gatherRows(index);
            NDArray query = scope.create(flatten(randomRows(1)), new Shape(1, 1, WIDTH)).repeat(0, 3);
            float[] out = attention.forward(query, cache.all(), null).toFloatArray();
            float[] copied = attention.forward(query, copy.all(), null).toFloatArray();
            assertThat(out).containsExactly(copied);
            float[] rowOfB = Arrays.copyOfRange(out, 0, WIDTH);
            float[] rowOfA = Arrays.copyOfRange(out, 2 * WIDTH, 3 * WIDTH);
            // rows 0 and 1 both hold source row 1 (equal up to the batched kernel's rounding), row 2 holds row 0
            assertThat(Arrays.copyOfRange(out, WIDTH, 2 * WIDTH)).containsExactly(rowOfB, within(1e-5f));
            assertThat(Math.abs(rowOfA[0] - rowOfB[0])).isGreaterThan(1e-3f);
        }
    }

    @Test
    void masksAreZeroWhereAQueryMayLookAndTheLowestValueElsewhere() {
        try (NDManager scope = manager.newSubManager()) {
            float[] causal = AttentionMasks.causal(scope, 1, 2, Precision.FP16)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            // queries at positions 1 and 2 over keys 0..2
            // -0.0 counts as 0 here: within(0) compares values, not bit patterns
            assertThat(causal).containsExactly(new float[] {0, 0, -65504f, 0, 0, 0}, within(0f));
            float[] padding = AttentionMasks.padding(scope.create(new long[][] {{1, 0}}), Precision.FP32)
                    .toFloatArray();
            assertThat(padding).containsExactly(new float[] {0, -Float.MAX_VALUE}, within(0f));
        }
    }

    /** Which keys a query may see. */
    private interface Visibility {
        boolean visible(int query, int key);
    }

    /** Multi-head attention written out in doubles, one query and head at a time. */
    private float[][] reference(float[][] queriesIn, float[][] keysIn, Visibility visibility) {
        double[][] q = project(queriesIn, 0);
        double[][] k = project(keysIn, 1);
        double[][] v = project(keysIn, 2);
        int headSize = WIDTH / HEADS;
        double[][] context = new double[queriesIn.length][WIDTH];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < q.length; i++) {
                double[] scores = new double[k.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k.length; j++) {
                    if (!visibility.visible(i, j)) {
                        scores[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    for (int d = 0; d < headSize; d++) {
                        scores[j] += q[i][h * headSize + d] * k[j][h * headSize + d];
                    }
                    scores[j] /= Math.sqrt(headSize);
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < k.length; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < k.length; j++) {
                    for (int d = 0; d < headSize; d++) {
                        context[i][h * headSize + d] += scores[j] / sum * v[j][h * headSize + d];
                    }
                }
            }
        }
        float[][] out = new float[queriesIn.length][WIDTH];
        for (int i = 0; i < out.length; i++) {
            for (int o = 0; o < WIDTH; o++) {
                double acc = biases[3][o];
                for (int c = 0; c < WIDTH; c++) {
                    acc += weights[3][o][c] * context[i][c];
                }
                out[i][o] = (float) acc;
            }
        }
        return out;
    }

    private double[][] project(float[][] rows, int projection) {
        double[][] out = new double[rows.length][WIDTH];
        for (int r = 0; r < rows.length; r++) {
            for (int o = 0; o < WIDTH; o++) {
                double acc = biases[projection][o];
                for (int i = 0; i < WIDTH; i++) {
                    acc += weights[projection][o][i] * rows[r][i];
                }
                out[r][o] = acc;
            }
        }
        return out;
    }

    private float[][] randomRows(int count) {
        float[][] rows = new float[count][WIDTH];
        for (float[] row : rows) {
            for (int i = 0; i < WIDTH; i++) {
                row[i] = (float) random.nextDouble(-1, 1);
            }
        }
        return rows;
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[0].length, rows[0].length);
        }
        return flat;
    }
}
