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
 */
public final class LingerTimer {

    private final ProcessorContext<?, ?> context;
    private final Duration interval;
    private final Punctuator check;
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
            scheduled = context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, check);
        }
    }

    /** Cancels the check (also from inside it); call when the batch has drained. */
    public void disarm() {
        if (scheduled != null) {
            scheduled.cancel();
            scheduled = null;
        }
    }

    public boolean armed() {
        return scheduled != null;
    }
}
