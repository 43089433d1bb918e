package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A Streams thread's poll ends when its next batch check is due; an idle, settled thread waits longer than asked, in
 * slices that end at records, a due check or the thread leaving RUNNING; after work, polls stay as asked. Time is a
 * fake clock that each consumer poll advances by its timeout (a poll that finds nothing waits it out).
 */
class PacedPollTest {

    private static final Duration ASKED = Duration.ofMillis(100);
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final List<Duration> polls = new ArrayList<>();
    /** What the next consumer polls return; empty batches once drained. */
    private final Deque<ConsumerRecords<byte[], byte[]>> arriving = new ArrayDeque<>();
    /** Runs after each consumer poll, with the poll's index (e.g. to change the thread's state). */
    private java.util.function.IntConsumer afterPoll = index -> { };
    private long now = 1_000_000;
    private boolean settled = true;

    @SuppressWarnings("unchecked")
    private Consumer<byte[], byte[]> paced(BooleanSupplier threadSettled) {
        Consumer<byte[], byte[]> recording = (Consumer<byte[], byte[]>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("poll")) {
                        Duration timeout = (Duration) args[0];
                        polls.add(timeout);
                        ConsumerRecords<byte[], byte[]> next = arriving.poll();
                        if (next == null || next.isEmpty()) {
                            now += timeout.toMillis();
                            next = ConsumerRecords.empty();
                        }
                        afterPoll.accept(polls.size() - 1);
                        return next;
                    }
                    if (method.getName().equals("groupMetadata")) {
                        throw new IllegalStateException("not assigned");
                    }
                    return null;
                });
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new PacedPoll(recording, threadSettled, QUIET, () -> now));
    }

    private Consumer<byte[], byte[]> paced() {
        return paced(() -> settled);
    }

    private static ConsumerRecords<byte[], byte[]> oneRecord() {
        TopicPartition partition = new TopicPartition("questions", 0);
        return new ConsumerRecords<>(
                Map.of(partition, List.of(new ConsumerRecord<>("questions", 0, 0L, new byte[0], new byte[0]))),
                Map.of(partition, new OffsetAndMetadata(1)));
    }

    private static long total(List<Duration> durations) {
        return durations.stream().mapToLong(Duration::toMillis).sum();
    }

    @Test
    void anIdleSettledThreadWaitsTheIdlePollInSlicesInsteadOfStreamsPollMs() throws Exception {
        onFreshThread(() -> {
            Consumer<byte[], byte[]> consumer = paced();

            ConsumerRecords<byte[], byte[]> records = consumer.poll(ASKED);

            assertThat(records.isEmpty()).isTrue();
            assertThat(total(polls)).isEqualTo(PacedPoll.IDLE_POLL.toMillis());
            assertThat(polls).allSatisfy(slice -> assertThat(slice).isLessThanOrEqualTo(PacedPoll.SLICE));
        });
    }

    @Test
    void recordsEndAnIdlePollAtOnceAndThePollsAfterThemStayAsAskedUntilQuiet() throws Exception {
        onFreshThread(() -> {
            Consumer<byte[], byte[]> consumer = paced();
            afterPoll = index -> {
                if (index == 2) {
                    arriving.add(oneRecord());
                    afterPoll = later -> { };
                }
            };

            assertThat(consumer.poll(ASKED).count()).as("the slice after the record arrived returns it").isEqualTo(1);
            assertThat(polls).hasSize(4);

            // the record's processing ends now; its commit comes within commit.interval.ms: polls as asked until quiet
            polls.clear();
            long processedAt = now;
            while (now - processedAt < QUIET.toMillis()) {
                consumer.poll(ASKED);
            }
            assertThat(polls).as("a commit may still be pending").containsOnly(ASKED);

            polls.clear();
            consumer.poll(ASKED);
            assertThat(total(polls)).as("quiet again").isEqualTo(PacedPoll.IDLE_POLL.toMillis());
        });
    }

    @Test
    void aBatchCheckEndsAPollWhenDueAndCountsAsWork() throws Exception {
        onFreshThread(() -> {
            Consumer<byte[], byte[]> consumer = paced();
            Object timer = new Object();
            PollWakeups.ofCurrentThread().wakeAt(timer, now + 30);
            consumer.poll(ASKED);
            assertThat(polls).as("the check is due before Streams' poll would end").containsExactly(Duration.ofMillis(30));

            polls.clear();
            PollWakeups.ofCurrentThread().wakeAt(timer, now + 600);
            consumer.poll(ASKED);
            assertThat(total(polls)).as("idle: waits for the check, in slices").isEqualTo(600);

            // the check ran (LingerTimer notes it as work) and flushed: its commit comes between the next polls
            PollWakeups.ofCurrentThread().cancel(timer);
            PollWakeups.ofCurrentThread().noteWork(now);
            polls.clear();
            consumer.poll(ASKED);
            assertThat(polls).containsExactly(ASKED);
        });
    }

    @Test
    void aThreadLeavingRunningEndsTheIdlePollAfterTheSlice() throws Exception {
        onFreshThread(() -> {
            Consumer<byte[], byte[]> consumer = paced();
            afterPoll = index -> settled = index < 1; // a rebalance or shutdown begins during the second slice

            consumer.poll(ASKED);

            assertThat(polls).hasSize(2);
            polls.clear();
            consumer.poll(ASKED);
            assertThat(polls).as("not RUNNING: Streams' own poll time").containsExactly(ASKED);
        });
    }

    @Test
    void aThreadThatIsNotARunningStreamsThreadIsNeverKeptWaiting() throws Exception {
        onFreshThread(() -> {
            Consumer<byte[], byte[]> consumer = paced(PunctualClientSupplier::onRunningStreamThread);
            consumer.poll(ASKED);
            assertThat(PunctualClientSupplier.onRunningGlobalThread()).isFalse();
            consumer.poll(Duration.ZERO);
            assertThat(polls).containsExactly(ASKED, Duration.ZERO);
        });
    }

    @Test
    void aWakeUpAlreadyPastIsDroppedSoTheThreadDoesNotSpin() throws Exception {
        onFreshThread(() -> {
            settled = false;
            Consumer<byte[], byte[]> consumer = paced();
            PollWakeups.ofCurrentThread().wakeAt(new Object(), now - 5);

            consumer.poll(ASKED);

            assertThat(polls).containsExactly(ASKED);
        });
    }

    @Test
    void otherCallsAndTheirFailuresGoStraightThrough() {
        Consumer<byte[], byte[]> consumer = paced();

        assertThatThrownBy(consumer::groupMetadata).isInstanceOf(IllegalStateException.class).hasMessage("not assigned");
        assertThat(polls).isEmpty();
    }

    @Test
    void pollsStayShortForTwiceTheCommitIntervalAfterWorkAndAtLeastASecond() {
        assertThat(PunctualClientSupplier.quietAfterWork(Map.of())).isEqualTo(Duration.ofSeconds(1));
        assertThat(PunctualClientSupplier.quietAfterWork(Map.of("commit.interval.ms", "2000")))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(PunctualClientSupplier.quietAfterWork(Map.of("commit.interval.ms", 100L)))
                .isEqualTo(Duration.ofSeconds(1));
    }

    /** Wake-ups and work are per thread: a fresh one, so what other tests left on this one does not count. */
    private static void onFreshThread(Runnable scenario) throws Exception {
        FutureTask<Void> task = new FutureTask<>(scenario, null);
        Thread thread = new Thread(task, "paced-poll-test");
        thread.start();
        try {
            task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError assertion) {
                throw assertion;
            }
            throw e;
        }
    }
}
