package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch is cut to its token cap, and to what the measured speed finishes within the time budget. */
class WorkBudgetTest {

    @Test
    void beforeAnyMeasurementTheTokenCapApplies() {
        assertThat(new WorkBudget(1000, Duration.ofSeconds(30)).allowance()).isEqualTo(1000);
    }

    @Test
    void aSlowMachineShrinksTheAllowanceToWhatFitsTheTimeBudgetAtOnce() {
        WorkBudget budget = new WorkBudget(100_000, Duration.ofSeconds(30));
        budget.record(1000, Duration.ofSeconds(1)); // 1 ms per token: 30,000 fit
        assertThat(budget.allowance()).isEqualTo(30_000);

        budget.record(1000, Duration.ofSeconds(10)); // suddenly 10 ms per token
        assertThat(budget.allowance()).isEqualTo(3_000);

        budget.record(1000, Duration.ofSeconds(1)); // faster again: the allowance grows back gradually
        assertThat(budget.allowance()).isGreaterThan(3_000).isLessThan(30_000);
    }

    @Test
    void theAllowanceNeverDropsBelowOneToken() {
        WorkBudget budget = new WorkBudget(100, Duration.ofMillis(1));
        budget.record(1, Duration.ofMinutes(1));
        assertThat(budget.allowance()).isEqualTo(1);
    }

    @Test
    void fittingTakesTheHeadWithinTheAllowanceAndAlwaysAtLeastOneItem() {
        List<Integer> costs = List.of(40, 30, 50, 10);
        assertThat(WorkBudget.fitting(costs, Integer::longValue, 70)).isEqualTo(2);
        assertThat(WorkBudget.fitting(costs, Integer::longValue, 10)).isEqualTo(1);
        assertThat(WorkBudget.fitting(costs, Integer::longValue, 1000)).isEqualTo(4);
        assertThat(WorkBudget.fitting(List.<Integer>of(), Integer::longValue, 10)).isZero();
    }
}
