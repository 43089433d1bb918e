package io.streamrag.kafka;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Kafka Streams' own clients, except that a stream thread's main consumer ends its {@code poll} when the thread's
 * next batch check is due ({@link PollWakeups}). A wall-clock punctuation can only run between polls, so without
 * this a batch linger of 20 ms needed {@code poll.ms} of 20 ms, and an idle stream thread woke 50 times a second
 * for nothing. With it the poll can stay long (Streams' 100 ms) and a lone record's batch is still flushed on time.
 * Set as {@code default.client.supplier}.
 */
public final class PunctualClientSupplier extends DefaultKafkaClientSupplier {

    @Override
    @SuppressWarnings("unchecked")
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        Consumer<byte[], byte[]> consumer = super.getConsumer(config);
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, new PollUntilWakeup(consumer));
    }

    /** Shortens {@code poll(Duration)} to the current thread's next wake-up; everything else goes straight through. */
    static final class PollUntilWakeup implements InvocationHandler {
        private final Consumer<byte[], byte[]> consumer;

        PollUntilWakeup(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("poll") && args != null && args.length == 1
                    && args[0] instanceof Duration timeout) {
                long untilWakeup = PollWakeups.ofCurrentThread().millisUntilNext(System.currentTimeMillis());
                if (untilWakeup >= 0 && untilWakeup < timeout.toMillis()) {
                    args = new Object[] {Duration.ofMillis(untilWakeup)};
                }
            }
            try {
                return method.invoke(consumer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
