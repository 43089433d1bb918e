package io.streamrag.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TeacherForcedBatchTest {
    private static final int START = 2;
    private static final int PAD = 1;

    @Test
    void theDecoderReadsTheStartTokenThenEachTargetShiftedByOne() {
        TeacherForcedBatch batch = TeacherForcedBatch.of(List.of(new int[] {0, 50, 7, 2}, new int[] {0, 2},
                new int[0]), START, PAD);

        assertThat(batch.width()).isEqualTo(4);
        assertThat(batch.decoderInputs()).isDeepEqualTo(new int[][] {{2, 0, 50, 7}, {2, 0, 1, 1}, {2, 1, 1, 1}});
        assertThat(batch.gatherIndex()).containsExactly(0, 50, 7, 2, 0, 2, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void rowSumsCountOnlyEachTargetsOwnPositions() {
        TeacherForcedBatch batch = TeacherForcedBatch.of(List.of(new int[] {5, 6}, new int[] {7}), START, PAD);
        float[] gathered = {-1f, -2f, -4f, -100f};

        assertThat(batch.rowSums(gathered)).containsExactly(-3.0, -4.0);
        assertThat(batch.sumOver(gathered, 1, 0)).as("row 1's values over target 0's length").isEqualTo(-104.0);
    }

    @Test
    void anEmptyBatchOfTargetsStillHasOnePosition() {
        TeacherForcedBatch batch = TeacherForcedBatch.of(List.of(new int[0]), START, PAD);
        assertThat(batch.width()).isEqualTo(1);
        assertThat(batch.rowSums(new float[] {-9f})).containsExactly(0.0);
    }
}
