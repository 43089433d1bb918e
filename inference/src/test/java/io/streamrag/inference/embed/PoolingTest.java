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
    void parsesConfigNames() {
        assertThat(Pooling.parse("MEAN")).isEqualTo(Pooling.MEAN);
        assertThat(Pooling.parse("cls")).isEqualTo(Pooling.CLS);
        assertThatThrownBy(() -> Pooling.parse("max")).hasMessageContaining("not one of mean, cls");
    }
}
