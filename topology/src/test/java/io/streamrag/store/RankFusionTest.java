package io.streamrag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {

    @Test
    void anUnweightedPositionScoresOneOverKPlusPosition() {
        // Qdrant: 1 / ((position + 1) / weight + k - 1); at weight 1 that is 1 / (k + position)
        assertThat(RankFusion.positionScore(0, 2, 1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(RankFusion.positionScore(3, 2, 1.0)).isCloseTo(1.0 / 5, within(1e-12));
        assertThat(RankFusion.positionScore(0, 60, 1.0)).isCloseTo(1.0 / 60, within(1e-12));
    }

    @Test
    void aWeightScalesThePositionNotTheScore() {
        assertThat(RankFusion.positionScore(1, 2, 2.0)).isCloseTo(1.0 / (2 / 2.0 + 1), within(1e-12));
        assertThat(RankFusion.positionScore(1, 2, 2.0)).isEqualTo(RankFusion.positionScore(0, 2, 1.0));
    }

    @Test
    void fusedScoreSumsTheLegsThatFoundAPassage() {
        List<RankFusion.Fused<String>> fused = RankFusion.fuse(
                List.of(List.of("a", "b", "c"), List.of("c", "b")), new double[] {1, 1}, 2);

        assertThat(fused).extracting(RankFusion.Fused::key).containsExactly("c", "b", "a");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 4 + 1.0 / 2, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 3 + 1.0 / 3, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 2, within(1e-12));
    }

    @Test
    void tiesKeepTheOrderInWhichPassagesWereFirstSeen() {
        List<RankFusion.Fused<String>> fused = RankFusion.fuse(List.of(List.of("dense"), List.of("keyword")),
                new double[] {1, 1}, 2);

        assertThat(fused).extracting(RankFusion.Fused::key).containsExactly("dense", "keyword");
    }

    @Test
    void anEmptyLegLeavesTheOtherLegsOrder() {
        List<RankFusion.Fused<Integer>> fused = RankFusion.fuse(List.of(List.of(3, 1, 2), List.of()),
                new double[] {1, 1}, 2);

        assertThat(fused).extracting(RankFusion.Fused::key).containsExactly(3, 1, 2);
    }
}
