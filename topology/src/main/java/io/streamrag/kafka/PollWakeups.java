package io.streamrag.kafka;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * When the current stream thread's next batch check (a {@link LingerTimer} punctuation) is due, so that its main
 * consumer can end a {@code poll} for it ({@link PunctualClientSupplier}) instead of polling at the batch linger's
 * pace all the time, and when it last had work, so that its poll stays short while a commit of that work may be
 * pending ({@link PacedPoll}). One per thread: punctuations and the main consumer's poll both run on the stream thread.
 */
public final class PollWakeups {

    private static final ThreadLocal<PollWakeups> CURRENT = ThreadLocal.withInitial(PollWakeups::new);

    /** Due time (epoch ms) per armed timer. */
    private final Map<Object, Long> due = new HashMap<>();
    /** When the thread last had records or a batch check to run (epoch ms); its commit may still be pending. */
    private long lastWorkMs = Long.MIN_VALUE;

    private PollWakeups() {
    }

    public static PollWakeups ofCurrentThread() {
        return CURRENT.get();
    }

    /** The timer wants the thread awake at {@code epochMs}; replaces its earlier wish. */
    public void wakeAt(Object timer, long epochMs) {
        due.put(timer, epochMs);
    }

    public void cancel(Object timer) {
        due.remove(timer);
    }

    /** The thread processed records or ran a batch check at {@code epochMs}. */
    public void noteWork(long epochMs) {
        lastWorkMs = Math.max(lastWorkMs, epochMs);
    }

    /** When the thread last had work (epoch ms), {@link Long#MIN_VALUE} if never. */
    public long lastWorkMs() {
        return lastWorkMs;
    }

    /**
     * Milliseconds until the earliest wake-up after {@code nowMs}, or -1 when none is wanted. Wake-ups already past
     * are dropped: a timer asks again each time its punctuation runs, and one whose task went away without
     * disarming must not keep the thread spinning.
     */
    public long millisUntilNext(long nowMs) {
        long next = Long.MAX_VALUE;
        for (Iterator<Long> times = due.values().iterator(); times.hasNext(); ) {
            long at = times.next();
            if (at <= nowMs) {
                times.remove();
            } else {
                next = Math.min(next, at);
            }
        }
        return next == Long.MAX_VALUE ? -1 : next - nowMs;
    }
}
