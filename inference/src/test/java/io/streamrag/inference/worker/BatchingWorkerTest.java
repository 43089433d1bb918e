package io.streamrag.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchingWorkerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A model whose first batch waits at a gate, so the test decides when requests have piled up. */
    private static final class GatedModel implements AutoCloseable {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean closed = new AtomicBoolean();

        List<String> run(List<String> batch) throws InterruptedException {
            entered.countDown();
            gate.await();
            batchSizes.add(batch.size());
            return batch.stream().map(s -> s.toUpperCase(Locale.ROOT)).collect(Collectors.toList());
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private BatchingWorker<String, String> start(GatedModel model, BatchingSettings settings) {
        return BatchingWorker.start("test", settings, String::length, model::run, model, registry);
    }

    @Test
    void manyThreadsShareBatchesAndEachGetsItsOwnResultsInOrder() throws Exception {
        GatedModel model = new GatedModel();
        int threads = 8;
        int perThread = 40;
        BatchingWorker<String, String> worker = start(model, BatchingSettings.defaults()
                .withMaxBatchSize(16).withQueueCapacity(threads * perThread).withMaxWait(Duration.ZERO));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch submitted = new CountDownLatch(threads);
            List<Future<List<String>>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                callers.add(pool.submit(() -> {
                    List<CompletableFuture<String>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(worker.submit("thread-" + thread + "-text-" + "x".repeat(i % 7) + i));
                    }
                    submitted.countDown();
                    List<String> results = new ArrayList<>();
                    for (CompletableFuture<String> f : mine) {
                        results.add(f.get(30, TimeUnit.SECONDS));
                    }
                    return results;
                }));
            }
            assertThat(submitted.await(30, TimeUnit.SECONDS)).isTrue();
            model.gate.countDown();

            for (int t = 0; t < threads; t++) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    expected.add(("thread-" + t + "-text-" + "x".repeat(i % 7) + i).toUpperCase(Locale.ROOT));
                }
                assertThat(callers.get(t).get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
            worker.close();
        }
        DistributionSummary sizes = registry.get("streamrag.worker.batch.size").summary();
        assertThat(sizes.totalAmount()).isEqualTo(threads * perThread);
        assertThat(sizes.max()).isEqualTo(16);
        assertThat(sizes.count()).isLessThan(threads * perThread / 8);
        assertThat(registry.get("streamrag.worker.tokens").counter().count()).isPositive();
        assertThat(registry.get("streamrag.worker.padded.tokens").counter().count())
                .isGreaterThanOrEqualTo(registry.get("streamrag.worker.tokens").counter().count());
        assertThat(registry.get("streamrag.worker.queue.wait").tag("lane", "bulk").timer().count())
                .isEqualTo(threads * perThread);
    }

    @Test
    void aFullQueueBlocksThenFailsClearly() throws Exception {
        GatedModel model = new GatedModel();
        BatchingWorker<String, String> worker = start(model, BatchingSettings.defaults()
                .withMaxBatchSize(1).withLookahead(1).withQueueCapacity(2).withMaxWait(Duration.ZERO)
                .withSubmitTimeout(Duration.ofMillis(100)));
        try {
            CompletableFuture<String> running = worker.submit("a");
            assertThat(model.entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> queued1 = worker.submit("b");
            CompletableFuture<String> queued2 = worker.submit("c");

            CompletableFuture<String> rejected = worker.submit("d");

            assertThatThrownBy(() -> rejected.get(1, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(QueueFullException.class)
                    .hasMessageContaining("queue of 2 requests stayed full");
            assertThat(registry.get("streamrag.worker.rejected").counter().count()).isEqualTo(1);
            model.gate.countDown();
            assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(queued1.get(30, TimeUnit.SECONDS)).isEqualTo("B");
            assertThat(queued2.get(30, TimeUnit.SECONDS)).isEqualTo("C");
        } finally {
            worker.close();
        }
    }

    @Test
    void closeFinishesTheRunningBatchFailsTheWaitingOnesAndClosesTheModel() throws Exception {
        GatedModel model = new GatedModel();
        BatchingWorker<String, String> worker = start(model, BatchingSettings.defaults()
                .withMaxBatchSize(1).withLookahead(1).withMaxWait(Duration.ZERO));
        CompletableFuture<String> running = worker.submit("a");
        assertThat(model.entered.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<String>> waiting = List.of(worker.submit("b"), worker.submit("c"));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        awaitClosing(worker);
        model.gate.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(running.get()).isEqualTo("A");
        for (CompletableFuture<String> f : waiting) {
            assertThat(f).isCompletedExceptionally();
            assertThatThrownBy(f::get).hasCauseInstanceOf(WorkerClosedException.class);
        }
        assertThat(worker.submit("late")).isCompletedExceptionally();
        assertThat(model.closed).isTrue();
    }

    /** Waits until close() has stopped intake: from then on a submit fails at once instead of queueing. */
    private static void awaitClosing(BatchingWorker<String, String> worker) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            CompletableFuture<String> probe = worker.submit("probe");
            if (probe.isCompletedExceptionally()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("close() did not stop intake");
    }

    @Test
    void aFailingBatchFailsItsCallersAndTheWorkerGoesOn() throws Exception {
        BatchingWorker<String, String> worker = BatchingWorker.start("failing", BatchingSettings.defaults()
                        .withMaxWait(Duration.ZERO), String::length,
                batch -> {
                    if (batch.contains("boom")) {
                        throw new IllegalArgumentException("cannot embed boom");
                    }
                    return batch;
                }, null, registry);
        try {
            CompletableFuture<String> failed = worker.submit("boom");
            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot embed boom")
                    .hasMessageContaining("worker failing");
            assertThat(worker.submit("fine").get(30, TimeUnit.SECONDS)).isEqualTo("fine");
            assertThat(registry.get("streamrag.worker.batch.failures").counter().count()).isEqualTo(1);
        } finally {
            worker.close();
        }
    }

    @Test
    void aRunnerReturningTheWrongNumberOfResultsFailsTheBatch() throws Exception {
        BatchingWorker<String, String> worker = BatchingWorker.start("short", BatchingSettings.defaults()
                .withMaxWait(Duration.ZERO), String::length, batch -> List.of(), null, registry);
        try {
            assertThatThrownBy(() -> worker.submit("x").get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("returned 0 results for a batch of 1");
        } finally {
            worker.close();
        }
    }

    /**
     * A model that runs one batch per permit the test hands out, and records the batches in the order it ran them:
     * the test piles requests up behind a running batch and then reads which went first.
     */
    private static final class SteppedModel {
        final Semaphore permits = new Semaphore(0);
        final Semaphore entered = new Semaphore(0);
        final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());

        List<String> run(List<String> batch) throws InterruptedException {
            entered.release();
            permits.acquire();
            batches.add(List.copyOf(batch));
            return batch;
        }

        void awaitEntered(int batches) throws InterruptedException {
            assertThat(entered.tryAcquire(batches, 30, TimeUnit.SECONDS)).as("%d batches started", batches).isTrue();
        }
    }

    private static BatchingSettings oneAtATime() {
        return BatchingSettings.defaults().withMaxBatchSize(1).withLookahead(1).withMaxWait(Duration.ZERO)
                .withBulkBatchTime(Duration.ZERO);
    }

    @Test
    void aQuestionSubmittedBehindQueuedBulkWorkRunsRightAfterTheRunningBulkBatch() throws Exception {
        SteppedModel model = new SteppedModel();
        BatchingWorker<String, String> worker = BatchingWorker.start("priority", oneAtATime(), String::length,
                model::run, null, registry);
        try {
            List<CompletableFuture<String>> bulk = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                bulk.add(worker.submit("bulk-" + i, Priority.BULK));
            }
            model.awaitEntered(1); // bulk-1 runs, bulk-2..5 wait
            CompletableFuture<String> question = worker.submit("question", Priority.INTERACTIVE);

            model.permits.release(6);

            assertThat(question.get(30, TimeUnit.SECONDS)).isEqualTo("question");
            CompletableFuture.allOf(bulk.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(model.batches).containsExactly(List.of("bulk-1"), List.of("question"), List.of("bulk-2"),
                    List.of("bulk-3"), List.of("bulk-4"), List.of("bulk-5"));
            assertThat(registry.get("streamrag.worker.queue.wait").tag("lane", "interactive").timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("streamrag.worker.queue.wait").tag("lane", "bulk").timer().count())
                    .isEqualTo(5);
        } finally {
            model.permits.release(100);
            worker.close();
        }
    }

    @Test
    void withoutPriorityTheSameQuestionWaitsBehindEveryQueuedBulkRequest() throws Exception {
        SteppedModel model = new SteppedModel();
        BatchingWorker<String, String> worker = BatchingWorker.start("fifo", oneAtATime(), String::length,
                model::run, null, registry);
        try {
            for (int i = 1; i <= 3; i++) {
                worker.submit("bulk-" + i);
            }
            model.awaitEntered(1);
            CompletableFuture<String> question = worker.submit("question", Priority.BULK);

            model.permits.release(4);

            assertThat(question.get(30, TimeUnit.SECONDS)).isEqualTo("question");
            assertThat(model.batches).containsExactly(List.of("bulk-1"), List.of("bulk-2"), List.of("bulk-3"),
                    List.of("question"));
        } finally {
            model.permits.release(100);
            worker.close();
        }
    }

    @Test
    void interactiveBatchesNeverCarryBulkRequests() throws Exception {
        SteppedModel model = new SteppedModel();
        BatchingWorker<String, String> worker = BatchingWorker.start("pure", BatchingSettings.defaults()
                        .withMaxBatchSize(8).withMaxWait(Duration.ZERO).withBulkBatchTime(Duration.ZERO),
                String::length, model::run, null, registry);
        try {
            CompletableFuture<String> first = worker.submit("bulk-1");
            model.awaitEntered(1);
            List<CompletableFuture<String>> rest = List.of(worker.submit("bulk-2"), worker.submit("bulk-3"),
                    worker.submit("q-1", Priority.INTERACTIVE), worker.submit("q-2", Priority.INTERACTIVE));

            model.permits.release(3);

            first.get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(model.batches).containsExactly(List.of("bulk-1"), List.of("q-1", "q-2"),
                    List.of("bulk-2", "bulk-3"));
        } finally {
            model.permits.release(100);
            worker.close();
        }
    }

    @Test
    void aStreamOfQuestionsLetsOneBulkBatchThroughAfterEveryFewQuestionBatches() throws Exception {
        SteppedModel model = new SteppedModel();
        BatchingWorker<String, String> worker = BatchingWorker.start("turns", oneAtATime(), String::length,
                model::run, null, registry);
        try {
            List<CompletableFuture<String>> all = new ArrayList<>(List.of(worker.submit("bulk-1")));
            model.awaitEntered(1);
            all.add(worker.submit("bulk-2"));
            all.add(worker.submit("bulk-3"));
            int count = BatchingWorker.BULK_TURN_AFTER + 2;
            for (int i = 1; i <= count; i++) {
                all.add(worker.submit("q-" + i, Priority.INTERACTIVE));
            }

            model.permits.release(count + 3);

            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<String> order = model.batches.stream().map(batch -> batch.get(0)).toList();
            List<String> expected = new ArrayList<>(List.of("bulk-1"));
            for (int i = 1; i <= BatchingWorker.BULK_TURN_AFTER; i++) {
                expected.add("q-" + i);
            }
            expected.add("bulk-2");
            for (int i = BatchingWorker.BULK_TURN_AFTER + 1; i <= count; i++) {
                expected.add("q-" + i);
            }
            expected.add("bulk-3");
            assertThat(order).containsExactlyElementsOf(expected);
        } finally {
            model.permits.release(100);
            worker.close();
        }
    }

    @Test
    void aFullBulkLaneDoesNotBlockQuestions() throws Exception {
        SteppedModel model = new SteppedModel();
        BatchingWorker<String, String> worker = BatchingWorker.start("lanes", oneAtATime().withQueueCapacity(2)
                .withSubmitTimeout(Duration.ofMillis(100)), String::length, model::run, null, registry);
        try {
            worker.submit("bulk-1");
            model.awaitEntered(1);
            worker.submit("bulk-2");
            worker.submit("bulk-3");
            CompletableFuture<String> overflow = worker.submit("bulk-4");
            assertThatThrownBy(() -> overflow.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(QueueFullException.class);

            CompletableFuture<String> question = worker.submit("question", Priority.INTERACTIVE);
            assertThat(question).isNotCompletedExceptionally();
            model.permits.release(2);
            assertThat(question.get(30, TimeUnit.SECONDS)).isEqualTo("question");
        } finally {
            model.permits.release(100);
            worker.close();
        }
    }
}
