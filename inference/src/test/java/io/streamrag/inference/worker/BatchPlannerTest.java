package io.streamrag.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    @Test
    void groupsRequestsOfSimilarLengthAroundTheOldest() {
        List<Integer> waiting = new ArrayList<>(List.of(10, 100, 12, 98, 11, 99));
        BatchPlanner planner = new BatchPlanner(3, 10_000);

        assertThat(planner.take(waiting, Integer::intValue)).containsExactly(10, 12, 11);
        assertThat(planner.take(waiting, Integer::intValue)).containsExactly(100, 98, 99);
        assertThat(waiting).isEmpty();
    }

    @Test
    void theOldestRequestAlwaysGoesEvenWhenOthersFitBetter() {
        List<Integer> waiting = new ArrayList<>(List.of(500, 20, 20, 20));
        BatchPlanner planner = new BatchPlanner(2, 10_000);

        assertThat(planner.take(waiting, Integer::intValue)).startsWith(500).hasSize(2);
    }

    @Test
    void keepsPaddedTokensWithinTheBudget() {
        List<Integer> waiting = new ArrayList<>(List.of(50, 50, 50, 50));
        BatchPlanner planner = new BatchPlanner(8, 120);

        assertThat(planner.take(waiting, Integer::intValue)).hasSize(2);
        assertThat(planner.canFill(waiting, Integer::intValue)).isFalse();
        assertThat(planner.canFill(List.of(50, 50, 50), Integer::intValue)).isTrue();
    }

    @Test
    void aRequestLongerThanTheBudgetRunsAlone() {
        List<Integer> waiting = new ArrayList<>(List.of(300, 5, 5));
        BatchPlanner planner = new BatchPlanner(8, 256);

        assertThat(planner.take(waiting, Integer::intValue)).containsExactly(300);
        assertThat(waiting).containsExactly(5, 5);
    }

    @Test
    void fillsUpToTheMaximumBatchSize() {
        List<Integer> waiting = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7));
        BatchPlanner planner = new BatchPlanner(4, 10_000);

        assertThat(planner.canFill(waiting, Integer::intValue)).isTrue();
        assertThat(planner.take(waiting, Integer::intValue)).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aSmallerBudgetForOneBatchCutsItButStillTakesTheOldest() {
        List<Integer> waiting = new ArrayList<>(List.of(100, 100, 100, 100));
        BatchPlanner planner = new BatchPlanner(8, 10_000);

        assertThat(planner.canFill(waiting, Integer::intValue, 250)).isTrue();
        assertThat(planner.take(waiting, Integer::intValue, 250)).hasSize(2);
        assertThat(planner.take(waiting, Integer::intValue, 1)).hasSize(1);
        assertThat(waiting).hasSize(1);
    }
}
