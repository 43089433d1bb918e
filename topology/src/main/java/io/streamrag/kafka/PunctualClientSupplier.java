package io.streamrag.kafka;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.GlobalStreamThread;
import org.apache.kafka.streams.processor.internals.StreamThread;

/**
 * Kafka Streams' own clients, except that the stream threads' main consumers and the global thread's consumer are
 * paced ({@link PacedPoll}): a poll ends when the thread's next batch check is due ({@link PollWakeups}), and an idle,
 * settled thread waits longer than {@code poll.ms} between two turns of Streams' loop. A wall-clock punctuation can
 * only run between polls, so without this a batch linger of 20 ms needed {@code poll.ms} of 20 ms, and an idle
 * stream thread woke 50 times a second for nothing. Set as {@code default.client.supplier}.
 */
public final class PunctualClientSupplier extends DefaultKafkaClientSupplier implements Configurable {

    /** Streams' commit interval under exactly-once when none is set. */
    private static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 100;
    /** Shortest time polls stay short after work, whatever the commit interval. */
    static final Duration MIN_QUIET_AFTER_WORK = Duration.ofSeconds(1);

    private Duration quietAfterWork = MIN_QUIET_AFTER_WORK;

    /** Reads {@code commit.interval.ms}: polls stay short for twice that after work, so the commit comes on time. */
    @Override
    public void configure(Map<String, ?> configs) {
        quietAfterWork = quietAfterWork(configs);
    }

    static Duration quietAfterWork(Map<String, ?> configs) {
        Object configured = configs.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        long commitIntervalMs = configured == null ? EXACTLY_ONCE_COMMIT_INTERVAL_MS
                : Long.parseLong(configured.toString().trim());
        return Duration.ofMillis(Math.max(MIN_QUIET_AFTER_WORK.toMillis(), 2 * commitIntervalMs));
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return paced(super.getConsumer(config), PunctualClientSupplier::onRunningStreamThread);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return paced(super.getGlobalConsumer(config), PunctualClientSupplier::onRunningGlobalThread);
    }

    @SuppressWarnings("unchecked")
    private Consumer<byte[], byte[]> paced(Consumer<byte[], byte[]> consumer, BooleanSupplier threadSettled) {
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class},
                new PacedPoll(consumer, threadSettled, quietAfterWork, System::currentTimeMillis));
    }

    /** Only a RUNNING stream thread may wait longer: starting, restoring or rebalancing ones finish work between polls. */
    static boolean onRunningStreamThread() {
        return Thread.currentThread() instanceof StreamThread thread && thread.state() == StreamThread.State.RUNNING;
    }

    static boolean onRunningGlobalThread() {
        return Thread.currentThread() instanceof GlobalStreamThread thread
                && thread.state() == GlobalStreamThread.State.RUNNING;
    }
}
