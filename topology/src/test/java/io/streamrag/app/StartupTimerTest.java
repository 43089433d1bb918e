package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartupTimerTest {

    @Test
    void listsTheLapsInOrderAndWhatRanMeanwhileAfterThem() throws Exception {
        StartupTimer timer = new StartupTimer();
        long brokerStart = System.nanoTime();
        timer.lap("checks");
        TimeUnit.MILLISECONDS.sleep(120);
        timer.lap("models");
        timer.background("broker", brokerStart);

        String line = timer.toString();

        assertThat(line).matches("\\d+\\.\\d s \\(jvm \\d+\\.\\d s, checks \\d+\\.\\d s, models \\d+\\.\\d s;"
                + " meanwhile broker \\d+\\.\\d s\\)");
        assertThat(line).doesNotContain("models 0.0 s").doesNotContain("broker 0.0 s");
    }

    @Test
    void hasNoMeanwhilePartWhenNothingRanBeside() {
        StartupTimer timer = new StartupTimer();
        timer.lap("checks");

        assertThat(timer.toString()).doesNotContain("meanwhile").endsWith("s)");
    }
}
