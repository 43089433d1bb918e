package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class PoolingTest {

    @Test
    void meanIgnoresPaddingAndClsTakesTheFirstToken() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // one text of 2 real tokens then padding whose vector must not count
            NDArray hidden = manager.create(new float[] {1, 2, 3, 4, 100, 100}).reshape(1, 3, 2);
            NDArray mask = manager.create(new long[][] {{1, 1, 0}});

            assertThat(Pooling.MEAN.pool(hidden, mask).toFloatArray()).containsExactly(2f, 3f);
            assertThat(Pooling.CLS.pool(hidden, mask).toFloatArray()).containsExactly(1f, 2f);
        }
    }

    @Test
    void thePlainJavaPoolingMatchesTheArrayOneAndNormalisesLikeTorch() {
        // two texts of 3 positions, dim 2: the second has one real token then padding
        float[] hidden = {1, 2, 3, 4, 100, 100, -5, 7, 9, 9, 9, 9};
        long[][] mask = {{1, 1, 0}, {1, 0, 0}};

        assertThat(Pooling.MEAN.pool(hidden, 3, 2, mask)).containsExactly(2f, 3f, -5f, 7f);
        assertThat(Pooling.CLS.pool(hidden, 3, 2, mask)).containsExactly(1f, 2f, -5f, 7f);

        float[] rows = {3, 4, 0, 0};
        Pooling.normalizeRows(rows, 2);
        assertThat(rows).as("an all-zero row stays zero, not NaN").containsExactly(0.6f, 0.8f, 0f, 0f);
    }

    @Test
    void parsesConfigNames() {
        assertThat(Pooling.parse("MEAN")).isEqualTo(Pooling.MEAN);
        assertThat(Pooling.parse("cls")).isEqualTo(Pooling.CLS);
        assertThatThrownBy(() -> Pooling.parse("max")).hasMessageContaining("not one of mean, cls");
    }
}
