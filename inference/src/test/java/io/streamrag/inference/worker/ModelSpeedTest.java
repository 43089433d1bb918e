package io.streamrag.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ModelSpeedTest {

    @Test
    void knowsNothingBeforeTheFirstBatch() {
        assertThat(new ModelSpeed().tokensIn(Duration.ofMillis(50))).isZero();
    }

    @Test
    void turnsTheMeasuredSpeedIntoTokensPerTime() {
        ModelSpeed speed = new ModelSpeed();
        speed.record(2_000, TimeUnit.MILLISECONDS.toNanos(100)); // 20k tokens/s

        assertThat(speed.tokensIn(Duration.ofMillis(50))).isEqualTo(1_000);
    }

    @Test
    void followsAChangeOfSpeedWithinAFewBatches() {
        ModelSpeed speed = new ModelSpeed();
        speed.record(2_000, TimeUnit.MILLISECONDS.toNanos(100));
        for (int i = 0; i < 10; i++) {
            speed.record(2_000, TimeUnit.MILLISECONDS.toNanos(400)); // the machine got 4x busier: 5k tokens/s
        }

        assertThat(speed.tokensIn(Duration.ofSeconds(1))).isBetween(5_000, 5_500);
    }
}
