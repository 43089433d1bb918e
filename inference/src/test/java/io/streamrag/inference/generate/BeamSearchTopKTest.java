package io.streamrag.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeamSearchTopKTest {

    @Test
    void returnsTheLargestFirstAndKeepsIndexOrderOnTies() {
        float[] values = {0.5f, 3f, -1f, 3f, Float.NEGATIVE_INFINITY, 2f, 0.5f};
        assertThat(BeamSearch.topK(values, 4)).containsExactly(1, 3, 5, 0);
        assertThat(BeamSearch.topK(values, 7)).containsExactly(1, 3, 5, 0, 6, 2, 4);
    }

    @Test
    void fillsFromNegativeInfinityWhenLittleIsFinite() {
        float[] values = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -2f};
        assertThat(BeamSearch.topK(values, 2)).containsExactly(2, 0);
    }
}
