package io.streamrag.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares one model among many threads: callers submit single requests into a bounded lane, one worker thread (one
 * per device) groups them into batches of similar length and runs the model, and each caller's future completes
 * with its own result.
 *
 * <p>Two lanes ({@link Priority}): a batch is formed from the interactive lane whenever it holds a request, so an
 * interactive request waits behind at most the bulk batch already running (and the interactive ones before it).
 * Bulk batches are cut to {@code bulkBatchTime} of model time at the measured speed, which keeps that wait short;
 * interactive batches never mix with bulk requests. After {@value #BULK_TURN_AFTER} interactive batches in a row
 * while bulk requests wait, one bulk batch goes, so a stream of questions slows bulk work down but never stops it.
 *
 * <p>A batch starts when its lane's waiting requests can fill it (size or padded-token budget) or when the lane's
 * oldest has waited {@code maxWait}. A full lane blocks callers for up to {@code submitTimeout}, then fails their
 * request with {@link QueueFullException}: memory stays bounded however far the callers run ahead of the model. An
 * idle worker sleeps until a request arrives (no polling).
 *
 * <p>{@link #close()} stops intake, lets the running batch finish, fails every request still waiting with
 * {@link WorkerClosedException}, and then closes the model.
 *
 * @param <Q> a request (one text, one question)
 * @param <R> its result
 */
public final class BatchingWorker<Q, R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingWorker.class);
    private static final long CLOSE_JOIN_MILLIS = 60_000;
    /** Interactive batches in a row, while bulk requests wait, after which one bulk batch goes. */
    static final int BULK_TURN_AFTER = 4;

    /** Runs the model on one batch; returns one result per request, in the batch's order. */
    @FunctionalInterface
    public interface BatchRunner<Q, R> {
        List<R> run(List<Q> batch) throws Exception;
    }

    private static final class Pending<Q, R> {
        final Q request;
        final int length;
        final Priority priority;
        final long enqueuedNanos = System.nanoTime();
        final CompletableFuture<R> result = new CompletableFuture<>();

        Pending(Q request, int length, Priority priority) {
            this.request = request;
            this.length = length;
            this.priority = priority;
        }
    }

    private final String name;
    private final BatchingSettings settings;
    private final ToIntFunction<Q> length;
    private final BatchRunner<Q, R> runner;
    private final AutoCloseable model;
    private final BatchPlanner planner;
    private final ModelSpeed bulkSpeed = new ModelSpeed();
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a request arrives or the worker closes. */
    private final Condition arrived = lock.newCondition();
    /** Signalled when requests leave a lane. */
    private final Condition spaceFreed = lock.newCondition();
    /** Waiting requests per lane, oldest first; guarded by {@link #lock}. */
    private final Map<Priority, List<Pending<Q, R>>> lanes = new EnumMap<>(Priority.class);
    /** Interactive batches run since the last bulk batch; worker thread only. */
    private int interactiveInARow;
    private volatile boolean closing;
    private boolean closed;

    private final DistributionSummary batchSize;
    private final Map<Priority, Timer> queueWait = new EnumMap<>(Priority.class);
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
        this.planner = new BatchPlanner(settings.maxBatchSize(), settings.maxBatchTokens());
        Tags tags = Tags.of("worker", name);
        this.batchSize = DistributionSummary.builder("streamrag.worker.batch.size")
                .description("requests per model call").tags(tags).register(registry);
        for (Priority priority : Priority.values()) {
            List<Pending<Q, R>> lane = new ArrayList<>();
            lanes.put(priority, lane);
            Tags laneTags = tags.and("lane", priority.label());
            // histogram buckets so dashboards can take quantiles across instances (histogram_quantile)
            queueWait.put(priority, Timer.builder("streamrag.worker.queue.wait")
                    .description("time from submit to the start of the request's batch").tags(laneTags)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(java.time.Duration.ofMillis(1))
                    .maximumExpectedValue(java.time.Duration.ofMinutes(1))
                    .register(registry));
            Gauge.builder("streamrag.worker.queue.depth", () -> depth(priority))
                    .description("requests waiting").tags(laneTags).register(registry);
        }
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

    /** Requests waiting in both lanes, not yet in a batch. */
    public int queueDepth() {
        return depth(Priority.INTERACTIVE) + depth(Priority.BULK);
    }

    private int depth(Priority priority) {
        lock.lock();
        try {
            return lanes.get(priority).size();
        } finally {
            lock.unlock();
        }
    }

    /** Queues one request in the bulk lane: {@code submit(request, Priority.BULK)}. */
    public CompletableFuture<R> submit(Q request) {
        return submit(request, Priority.BULK);
    }

    /**
     * Queues one request in its lane. Blocks while the lane is full, up to the submit timeout; the returned future
     * then fails with {@link QueueFullException}. Fails with {@link WorkerClosedException} once the worker is
     * closing.
     */
    public CompletableFuture<R> submit(Q request, Priority priority) {
        if (closing) {
            return CompletableFuture.failedFuture(new WorkerClosedException("worker " + name + " is closed"));
        }
        Pending<Q, R> pending = new Pending<>(request, Math.max(1, length.applyAsInt(request)), priority);
        long remaining = settings.submitTimeout().toNanos();
        lock.lock();
        try {
            List<Pending<Q, R>> lane = lanes.get(priority);
            while (!closing && lane.size() >= settings.queueCapacity()) {
                if (remaining <= 0) {
                    rejected.increment();
                    pending.result.completeExceptionally(new QueueFullException("worker " + name + ": "
                            + priority.label() + " queue of " + settings.queueCapacity() + " requests stayed full for "
                            + settings.submitTimeout() + "; the model is slower than its callers"));
                    return pending.result;
                }
                remaining = spaceFreed.awaitNanos(remaining);
            }
            if (closing) {
                pending.result.completeExceptionally(new WorkerClosedException("worker " + name + " is closed"));
                return pending.result;
            }
            lane.add(pending);
            arrived.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result.completeExceptionally(e);
        } finally {
            lock.unlock();
        }
        return pending.result;
    }

    private void loop() {
        try {
            while (true) {
                List<Pending<Q, R>> batch = nextBatch();
                if (batch == null) {
                    return;
                }
                run(batch);
            }
        } catch (InterruptedException e) {
            // nobody should interrupt the worker; if someone does, stop intake so no caller waits forever
            closing = true;
            Thread.currentThread().interrupt();
        } finally {
            failAll();
        }
    }

    /**
     * Waits until a lane has a batch ready (it can be filled, or its oldest request has waited maxWait) and takes
     * it; null once the worker closes. Re-decides after every arrival, so an interactive request that comes while a
     * bulk batch lingers is taken first.
     */
    private List<Pending<Q, R>> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (!closing) {
                Priority priority = nextLane();
                if (priority == null) {
                    arrived.await();
                    continue;
                }
                List<Pending<Q, R>> lane = lanes.get(priority);
                List<Pending<Q, R>> window = lane.subList(0, Math.min(settings.lookahead(), lane.size()));
                int budget = tokenBudget(priority);
                long lingered = lane.get(0).enqueuedNanos + settings.maxWait().toNanos() - System.nanoTime();
                if (lingered > 0 && !planner.canFill(window, p -> p.length, budget)) {
                    arrived.awaitNanos(lingered);
                    continue;
                }
                List<Pending<Q, R>> batch = planner.take(window, p -> p.length, budget);
                boolean bulkWaits = !lanes.get(Priority.BULK).isEmpty();
                interactiveInARow = priority == Priority.INTERACTIVE && bulkWaits ? interactiveInARow + 1 : 0;
                spaceFreed.signalAll();
                return batch;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The lane the next batch comes from, or null when both are empty. */
    private Priority nextLane() {
        boolean interactive = !lanes.get(Priority.INTERACTIVE).isEmpty();
        boolean bulk = !lanes.get(Priority.BULK).isEmpty();
        if (interactive && !(bulk && interactiveInARow >= BULK_TURN_AFTER)) {
            return Priority.INTERACTIVE;
        }
        return bulk ? Priority.BULK : null;
    }

    /** Padded tokens a batch of the lane may hold: bulk batches are cut to bulkBatchTime at the measured speed. */
    private int tokenBudget(Priority priority) {
        if (priority == Priority.INTERACTIVE || settings.bulkBatchTime().isZero()) {
            return settings.maxBatchTokens();
        }
        // before the first measurement: one request at a time (the planner always takes the oldest)
        return Math.max(1, bulkSpeed.tokensIn(settings.bulkBatchTime()));
    }

    private void run(List<Pending<Q, R>> batch) {
        long start = System.nanoTime();
        int longest = 0;
        long real = 0;
        List<Q> requests = new ArrayList<>(batch.size());
        for (Pending<Q, R> p : batch) {
            queueWait.get(p.priority).record(start - p.enqueuedNanos, TimeUnit.NANOSECONDS);
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
            long nanos = System.nanoTime() - start;
            runTime.record(nanos, TimeUnit.NANOSECONDS);
            if (batch.get(0).priority == Priority.BULK) {
                bulkSpeed.record(padded, nanos);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result.complete(results.get(i));
        }
    }

    private void failAll() {
        List<Pending<Q, R>> rest = new ArrayList<>();
        lock.lock();
        try {
            for (List<Pending<Q, R>> lane : lanes.values()) {
                rest.addAll(lane);
                lane.clear();
            }
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            closing = true;
            arrived.signalAll();
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(CLOSE_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll();
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
