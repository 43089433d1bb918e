package io.streamrag.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalScoresTest {

    @Test
    void recallAndMrrCountTheRankOfTheRightDocument() {
        RetrievalScores scores = new RetrievalScores();
        scores.add(List.of("a", "b"), "a");                     // rank 1
        scores.add(List.of("x", "y", "z", "right"), "right");  // rank 4
        List<String> long12 = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            long12.add("d" + i);
        }
        long12.add("right");
        scores.add(long12, "right");                           // rank 12: in R@20, not in MRR@10
        scores.add(List.of("p", "q"), "missing");               // not retrieved

        assertThat(scores.questions()).isEqualTo(4);
        assertThat(scores.recallAt1()).isEqualTo(0.25);
        assertThat(scores.recallAt5()).isEqualTo(0.5);
        assertThat(scores.recallAt20()).isEqualTo(0.75);
        assertThat(scores.mrrAt10()).isCloseTo((1 + 0.25) / 4, within(1e-12));
    }
}
