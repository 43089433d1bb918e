package io.streamrag.ingest.batch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where one ingest task's batches are embedded: one at a time and in the order they were started, either on a
 * background thread of the task's own (so that the stream thread writes the previous batch, emits its updates and
 * commits meanwhile) or on the thread that starts them. Batches of one task never compete with each other for the
 * model; the tasks of a process share it through the embedder (the batching worker in production).
 */
public final class EmbeddingLane implements AutoCloseable {

    /** An idle lane lets its thread go after this: a task that died without being closed leaks no thread. */
    private static final long IDLE_SECONDS = 30;

    private final ExecutorService executor;

    private EmbeddingLane(ExecutorService executor) {
        this.executor = executor;
    }

    /** Embeds on a daemon thread named {@code threadName}, started when needed. */
    public static EmbeddingLane background(String threadName) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, threadName);
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return new EmbeddingLane(executor);
    }

    /**
     * Embeds on the thread that starts the batch, before {@link #submit} returns: the order of work is the stream
     * thread's, as without overlap (for TopologyTestDriver stories, which need every output at a known step).
     */
    public static EmbeddingLane inline() {
        return new EmbeddingLane(null);
    }

    <T> CompletableFuture<T> submit(Supplier<T> work) {
        if (executor != null) {
            return CompletableFuture.supplyAsync(work, executor);
        }
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Drops the batches still waiting and interrupts the running one; the model may still finish what it was given,
     * and the result goes nowhere. The changes stay pending in the task's store, for whichever instance owns it next.
     */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
