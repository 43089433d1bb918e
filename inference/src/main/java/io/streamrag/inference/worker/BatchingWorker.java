package io.streamrag.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares one model among many threads: callers submit single requests into a bounded queue, one worker thread (one
 * per device) groups them into batches of similar length and runs the model, and each caller's future completes
 * with its own result.
 *
 * <p>A batch starts when the waiting requests can fill it (size or padded-token budget) or when the oldest has
 * waited {@code maxWait}. A full queue blocks callers for up to {@code submitTimeout}, then fails their request with
 * {@link QueueFullException}: memory stays bounded however far the callers run ahead of the model.
 *
 * <p>{@link #close()} stops intake, lets the running batch finish, fails every request still waiting with
 * {@link WorkerClosedException}, and then closes the model.
 *
 * @param <Q> a request (one text, one question)
 * @param <R> its result
 */
public final class BatchingWorker<Q, R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingWorker.class);
    /** How often an idle worker looks at the closing flag. */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long CLOSE_JOIN_MILLIS = 60_000;

    /** Runs the model on one batch; returns one result per request, in the batch's order. */
    @FunctionalInterface
    public interface BatchRunner<Q, R> {
        List<R> run(List<Q> batch) throws Exception;
    }

    private static final class Pending<Q, R> {
        final Q request;
        final int length;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<R> result = new CompletableFuture<>();

        Pending(Q request, int length) {
            this.request = request;
            this.length = length;
        }
    }

    private final String name;
    private final BatchingSettings settings;
    private final ToIntFunction<Q> length;
    private final BatchRunner<Q, R> runner;
    private final AutoCloseable model;
    private final BlockingQueue<Pending<Q, R>> queue;
    private final BatchPlanner planner;
    private final Thread thread;
    private volatile boolean closing;
    private boolean closed;

    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer runTime;
    private final Counter tokens;
    private final Counter paddedTokens;
    private final DistributionSummary paddingRatio;
    private final Counter rejected;
    private final Counter failedBatches;

    private BatchingWorker(String name, BatchingSettings settings, ToIntFunction<Q> length, BatchRunner<Q, R> runner,
                           AutoCloseable model, MeterRegistry registry) {
        this.name = name;
        this.settings = settings;
        this.length = length;
        this.runner = runner;
        this.model = model;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.planner = new BatchPlanner(settings.maxBatchSize(), settings.maxBatchTokens());
        Tags tags = Tags.of("worker", name);
        this.batchSize = DistributionSummary.builder("streamrag.worker.batch.size")
                .description("requests per model call").tags(tags).register(registry);
        // histogram buckets so dashboards can take quantiles across instances (histogram_quantile)
        this.queueWait = Timer.builder("streamrag.worker.queue.wait")
                .description("time from submit to the start of the request's batch").tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofMinutes(1))
                .register(registry);
        this.runTime = Timer.builder("streamrag.worker.batch.run")
                .description("model time per batch").tags(tags).register(registry);
        this.tokens = Counter.builder("streamrag.worker.tokens")
                .description("real (unpadded) tokens run").tags(tags).register(registry);
        this.paddedTokens = Counter.builder("streamrag.worker.padded.tokens")
                .description("tokens run including padding").tags(tags).register(registry);
        this.paddingRatio = DistributionSummary.builder("streamrag.worker.padding.ratio")
                .description("share of each batch's tokens that are padding").tags(tags).register(registry);
        this.rejected = Counter.builder("streamrag.worker.rejected")
                .description("requests failed because the queue stayed full").tags(tags).register(registry);
        this.failedBatches = Counter.builder("streamrag.worker.batch.failures")
                .description("batches whose model call threw").tags(tags).register(registry);
        Gauge.builder("streamrag.worker.queue.depth", queue, BlockingQueue::size)
                .description("requests waiting").tags(tags).register(registry);
        this.thread = new Thread(this::loop, "batching-worker-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a worker thread.
     *
     * @param length tokens a request occupies in a batch (for the token budget and length grouping); called on the
     *               submitting thread
     * @param model  closed by {@link #close()} after the last batch; may be null
     */
    public static <Q, R> BatchingWorker<Q, R> start(String name, BatchingSettings settings, ToIntFunction<Q> length,
                                                     BatchRunner<Q, R> runner, AutoCloseable model,
                                                     MeterRegistry registry) {
        BatchingWorker<Q, R> worker = new BatchingWorker<>(name, settings, length, runner, model, registry);
        worker.thread.start();
        return worker;
    }

    public String name() {
        return name;
    }

    /** Requests waiting in the queue (not counting those the worker is already grouping). */
    public int queueDepth() {
        return queue.size();
    }

    /**
     * Queues one request. Blocks while the queue is full, up to the submit timeout; the returned future then fails
     * with {@link QueueFullException}. Fails with {@link WorkerClosedException} once the worker is closing.
     */
    public CompletableFuture<R> submit(Q request) {
        if (closing) {
            return CompletableFuture.failedFuture(new WorkerClosedException("worker " + name + " is closed"));
        }
        Pending<Q, R> pending = new Pending<>(request, Math.max(1, length.applyAsInt(request)));
        try {
            if (!queue.offer(pending, settings.submitTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                rejected.increment();
                pending.result.completeExceptionally(new QueueFullException("worker " + name + ": queue of "
                        + settings.queueCapacity() + " requests stayed full for " + settings.submitTimeout()
                        + "; the model is slower than its callers"));
                return pending.result;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result.completeExceptionally(e);
            return pending.result;
        }
        // close() may have drained the queue between our check and our offer
        if (closing && queue.remove(pending)) {
            pending.result.completeExceptionally(new WorkerClosedException("worker " + name + " is closed"));
        }
        return pending.result;
    }

    private void loop() {
        List<Pending<Q, R>> waiting = new ArrayList<>();
        try {
            while (!closing) {
                if (!collect(waiting)) {
                    continue;
                }
                run(planner.take(waiting, p -> p.length));
            }
        } catch (InterruptedException e) {
            // nobody should interrupt the worker; if someone does, stop intake so no caller waits forever
            closing = true;
            Thread.currentThread().interrupt();
        } finally {
            failAll(waiting);
        }
    }

    /**
     * Gathers requests into {@code waiting} until a batch can be filled, the oldest has waited maxWait, or the
     * worker closes. Returns false when nothing is waiting.
     */
    private boolean collect(List<Pending<Q, R>> waiting) throws InterruptedException {
        if (waiting.isEmpty()) {
            Pending<Q, R> first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            if (first == null) {
                return false;
            }
            waiting.add(first);
        }
        long deadline = waiting.get(0).enqueuedNanos + settings.maxWait().toNanos();
        while (!closing && !planner.canFill(waiting, p -> p.length)) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Pending<Q, R> next = queue.poll(Math.min(remaining, IDLE_POLL_NANOS), TimeUnit.NANOSECONDS);
            if (next != null) {
                waiting.add(next);
            }
        }
        // look further ahead, without waiting, for requests of similar length
        queue.drainTo(waiting, Math.max(0, settings.lookahead() - waiting.size()));
        return !closing;
    }

    private void run(List<Pending<Q, R>> batch) {
        long start = System.nanoTime();
        int longest = 0;
        long real = 0;
        List<Q> requests = new ArrayList<>(batch.size());
        for (Pending<Q, R> p : batch) {
            queueWait.record(start - p.enqueuedNanos, TimeUnit.NANOSECONDS);
            longest = Math.max(longest, p.length);
            real += p.length;
            requests.add(p.request);
        }
        long padded = (long) longest * batch.size();
        batchSize.record(batch.size());
        tokens.increment(real);
        paddedTokens.increment(padded);
        paddingRatio.record(padded == 0 ? 0 : (double) (padded - real) / padded);
        List<R> results;
        try {
            results = runner.run(requests);
            if (results == null || results.size() != batch.size()) {
                throw new IllegalStateException("the model returned " + (results == null ? "null" : results.size()
                        + " results") + " for a batch of " + batch.size());
            }
        } catch (Throwable e) {
            // the callers get the failure; the worker goes on with the next batch
            failedBatches.increment();
            RuntimeException failure = new IllegalStateException("worker " + name + ": batch of " + batch.size()
                    + " requests (longest " + longest + " tokens) failed: " + e.getMessage(), e);
            batch.forEach(p -> p.result.completeExceptionally(failure));
            return;
        } finally {
            runTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
    }

    private void failAll(List<Pending<Q, R>> waiting) {
        List<Pending<Q, R>> rest = new ArrayList<>(waiting);
        waiting.clear();
        queue.drainTo(rest);
        for (Pending<Q, R> p : rest) {
            p.result.completeExceptionally(new WorkerClosedException("worker " + name
                    + " closed before the request ran"));
        }
    }

    /** Stops intake, finishes the running batch, fails what still waits, closes the model. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closing = true;
        try {
            thread.join(CLOSE_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new ArrayList<>());
        if (thread.isAlive()) {
            // Closing the model under a running batch could crash native code; leaking it is the lesser harm.
            LOG.error("worker {}: a batch is still running after {} ms; the model is left open", name,
                    CLOSE_JOIN_MILLIS);
            return;
        }
        closed = true;
        if (model != null) {
            try {
                model.close();
            } catch (Exception e) {
                throw new IllegalStateException("worker " + name + ": closing the model failed", e);
            }
        }
    }
}
