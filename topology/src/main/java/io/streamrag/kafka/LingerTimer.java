package io.streamrag.kafka;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * A wall-clock punctuation that is scheduled only while a micro-batch waits to be flushed.
 *
 * <p>Why not one punctuation for the processor's lifetime: Kafka Streams marks a task for commit after every
 * punctuation, and under {@code exactly_once_v2} a commit is a transaction round trip with the broker. A batch
 * check firing every few milliseconds on an idle task therefore committed an empty transaction per task every
 * {@code commit.interval.ms} (100 ms), which kept the stream threads and the broker's request handlers, group and
 * transaction coordinators busy: most of an idle application's 17-30 % of a core. Armed when the first record enters
 * an empty batch and disarmed when the batch drains, the check costs nothing while nothing waits.
 *
 * <p>While armed it also tells the stream thread's consumer when the check is next due ({@link PollWakeups}), so the
 * poll ends for it even when {@code poll.ms} is longer than the check's interval.
 */
public final class LingerTimer {

    private final ProcessorContext<?, ?> context;
    private final Duration interval;
    private final Punctuator check;
    /** The wake-ups of the thread that armed the timer: the stream thread, which also polls. */
    private PollWakeups wakeups;
    private Cancellable scheduled;

    /** @param check what to run every {@code interval} while armed (typically: flush if the oldest has lingered) */
    public LingerTimer(ProcessorContext<?, ?> context, Duration interval, Punctuator check) {
        this.context = Objects.requireNonNull(context, "context");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** Schedules the check unless it already is; call when a batch gets its first record. */
    public void arm() {
        if (scheduled == null) {
            scheduled = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::run);
            wakeups = PollWakeups.ofCurrentThread();
            wakeNext(System.currentTimeMillis());
        }
    }

    private void run(long timestamp) {
        long now = Math.max(timestamp, System.currentTimeMillis());
        // a check that flushes leaves a commit to come: the thread's poll stays short until it has happened
        wakeups.noteWork(now);
        wakeNext(now);
        check.punctuate(timestamp); // may disarm, which cancels the wake-up again
    }

    private void wakeNext(long nowMs) {
        // a millisecond late rather than early: an early wake-up finds the punctuation not yet due
        wakeups.wakeAt(this, nowMs + interval.toMillis() + 1);
    }

    /** Cancels the check (also from inside it); call when the batch has drained. */
    public void disarm() {
        if (scheduled != null) {
            scheduled.cancel();
            scheduled = null;
            wakeups.cancel(this);
        }
    }

    public boolean armed() {
        return scheduled != null;
    }
}
