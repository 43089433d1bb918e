package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.junit.jupiter.api.Test;

/** A stream thread's poll ends when its next batch check is due, and is left alone otherwise. */
class PunctualClientSupplierTest {

    private final List<Duration> polls = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private Consumer<byte[], byte[]> punctual() {
        Consumer<byte[], byte[]> recording = (Consumer<byte[], byte[]>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("poll")) {
                        polls.add((Duration) args[0]);
                        return ConsumerRecords.empty();
                    }
                    if (method.getName().equals("groupMetadata")) {
                        throw new IllegalStateException("not assigned");
                    }
                    return null;
                });
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new PunctualClientSupplier.PollUntilWakeup(recording));
    }

    @Test
    void aPollEndsWhenTheThreadsNextCheckIsDue() {
        Consumer<byte[], byte[]> consumer = punctual();
        Object timer = new Object();
        PollWakeups.ofCurrentThread().wakeAt(timer, System.currentTimeMillis() + 30);
        try {
            consumer.poll(Duration.ofMillis(100));
        } finally {
            PollWakeups.ofCurrentThread().cancel(timer);
        }
        consumer.poll(Duration.ofMillis(100));

        assertThat(polls).hasSize(2);
        assertThat(polls.get(0)).isBetween(Duration.ofMillis(20), Duration.ofMillis(30));
        assertThat(polls.get(1)).as("nothing due: Streams' own poll time").isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aWakeUpAlreadyPastIsDroppedSoTheThreadDoesNotSpin() {
        Consumer<byte[], byte[]> consumer = punctual();
        PollWakeups.ofCurrentThread().wakeAt(new Object(), System.currentTimeMillis() - 5);

        consumer.poll(Duration.ofMillis(100));

        assertThat(polls).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void otherCallsAndTheirFailuresGoStraightThrough() {
        Consumer<byte[], byte[]> consumer = punctual();

        org.assertj.core.api.Assertions.assertThatThrownBy(consumer::groupMetadata)
                .isInstanceOf(IllegalStateException.class).hasMessage("not assigned");
    }
}
