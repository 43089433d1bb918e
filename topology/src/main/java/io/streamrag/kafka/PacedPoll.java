package io.streamrag.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Paces the {@code poll(Duration)} of a Kafka Streams thread's consumer; every other call goes straight through.
 *
 * <ul>
 *   <li>A poll ends when the thread's next batch check is due ({@link PollWakeups}), so a lone record's micro-batch
 *       is flushed one linger after it arrived however long the poll.</li>
 *   <li>While the thread is settled (RUNNING) and has had no work for {@code quietAfterWork}, one poll of Streams'
 *       may wait up to {@code idlePoll} instead of {@code poll.ms}: an idle thread then runs Streams' loop (task
 *       checks, commit checks, metrics) about once per {@code idlePoll} instead of ten times a second. The wait is
 *       made of consumer polls of at most {@code slice}, and ends after the slice in which records arrive, a batch
 *       check falls due, or the thread leaves RUNNING (a rebalance, a shutdown), so none of these waits longer.</li>
 *   <li>After work (records, a batch check) polls stay as Streams asks for {@code quietAfterWork}: under
 *       exactly-once the output of that work becomes visible only with the commit Streams makes at most
 *       {@code commit.interval.ms} later, between two polls.</li>
 * </ul>
 * One instance per consumer; a consumer is polled by one thread.
 */
final class PacedPoll implements InvocationHandler {

    /** Longest wait of one idle poll: Streams' periodic duties (probing rebalances, state checks) may slip this much. */
    static final Duration IDLE_POLL = Duration.ofSeconds(2);
    /** Longest single consumer poll inside an idle poll: how late a rebalance or shutdown is noticed at most. */
    static final Duration SLICE = Duration.ofMillis(250);

    private final Object consumer;
    private final BooleanSupplier threadSettled;
    private final long quietAfterWorkMs;
    private final LongSupplier clock;
    private boolean lastPollHadRecords;

    /**
     * @param threadSettled whether the polling thread may wait longer than asked (its Streams thread is RUNNING)
     * @param quietAfterWork how long polls stay as asked after the thread's last work
     * @param clock epoch milliseconds
     */
    PacedPoll(Object consumer, BooleanSupplier threadSettled, Duration quietAfterWork, LongSupplier clock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.threadSettled = Objects.requireNonNull(threadSettled, "threadSettled");
        this.quietAfterWorkMs = quietAfterWork.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("poll") && args != null && args.length == 1
                && args[0] instanceof Duration timeout) {
            return poll(method, timeout);
        }
        return call(method, args);
    }

    private Object poll(Method poll, Duration timeout) throws Throwable {
        PollWakeups wakeups = PollWakeups.ofCurrentThread();
        long now = clock.getAsLong();
        if (lastPollHadRecords) {
            // the thread has just processed them: their commit is due within commit.interval.ms from now
            wakeups.noteWork(now);
        }
        long asked = timeout.toMillis();
        boolean idle = asked > 0 && wakeups.lastWorkMs() <= now - quietAfterWorkMs && threadSettled.getAsBoolean();
        long deadline = now + (idle ? Math.max(asked, IDLE_POLL.toMillis()) : asked);
        while (true) {
            long untilWakeup = wakeups.millisUntilNext(now);
            long slice = Math.min(deadline - now, idle ? Math.max(asked, SLICE.toMillis()) : asked);
            boolean endsAtWakeup = untilWakeup >= 0 && untilWakeup <= slice;
            if (endsAtWakeup) {
                slice = untilWakeup;
            }
            Object records = call(poll, new Object[] {Duration.ofMillis(Math.max(slice, 0))});
            now = clock.getAsLong();
            lastPollHadRecords = records instanceof ConsumerRecords<?, ?> batch && !batch.isEmpty();
            if (lastPollHadRecords) {
                wakeups.noteWork(now);
            }
            if (!idle || lastPollHadRecords || endsAtWakeup || now >= deadline || !threadSettled.getAsBoolean()) {
                return records;
            }
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
