package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.junit.jupiter.api.Test;

/** The batch check exists only while a batch waits: an idle task schedules nothing, so it commits nothing. */
class LingerTimerTest {

    private final MockProcessorContext<String, String> context = new MockProcessorContext<>();
    private int checks;
    private final LingerTimer timer = new LingerTimer(context, Duration.ofMillis(10), now -> checks++);

    @Test
    void nothingIsScheduledUntilArmed() {
        assertThat(context.scheduledPunctuators()).isEmpty();
        assertThat(timer.armed()).isFalse();
    }

    @Test
    void armingTwiceSchedulesOneWallClockCheckAtTheInterval() {
        timer.arm();
        timer.arm();

        List<CapturedPunctuator> scheduled = context.scheduledPunctuators();
        assertThat(scheduled).hasSize(1);
        assertThat(scheduled.get(0).getInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(scheduled.get(0).getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        scheduled.get(0).getPunctuator().punctuate(0);
        assertThat(checks).isEqualTo(1);
    }

    @Test
    void disarmingCancelsAndTheNextBatchSchedulesAfresh() {
        timer.arm();
        timer.disarm();

        assertThat(context.scheduledPunctuators().get(0).cancelled()).isTrue();
        assertThat(timer.armed()).isFalse();

        timer.arm();
        assertThat(context.scheduledPunctuators()).hasSize(2);
        assertThat(context.scheduledPunctuators().get(1).cancelled()).isFalse();
    }

    @Test
    void whileArmedTheThreadsPollIsToldWhenTheCheckIsNextDue() throws Exception {
        // wake-ups are per thread: a fresh thread, so timers other test classes left on this one do not count
        java.util.concurrent.FutureTask<Void> onFreshThread = new java.util.concurrent.FutureTask<>(() -> {
            pollIsToldWhenTheCheckIsNextDue();
            return null;
        });
        Thread thread = new Thread(onFreshThread, "linger-timer-test");
        thread.start();
        try {
            onFreshThread.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw e;
        }
    }

    private void pollIsToldWhenTheCheckIsNextDue() {
        PollWakeups wakeups = PollWakeups.ofCurrentThread();
        long before = System.currentTimeMillis();
        timer.arm();

        long until = wakeups.millisUntilNext(before);
        assertThat(until).isBetween(10L, 10L + 1 + (System.currentTimeMillis() - before));

        context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
        assertThat(wakeups.millisUntilNext(System.currentTimeMillis())).as("asks again after each check")
                .isBetween(1L, 11L);

        timer.disarm();
        assertThat(wakeups.millisUntilNext(System.currentTimeMillis())).as("no wake-up once disarmed").isEqualTo(-1);
    }
}
