package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.worker.BatchingSettings;
import io.streamrag.inference.worker.WorkerClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stream threads share one model through the worker and each gets the vectors the model alone would give. */
class BatchingEmbedderTest {

    @Test
    void manyThreadsGetTheirOwnVectorsFromSharedBatches() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedderOptions options = EmbedderOptions.defaults().withMeterRegistry(registry);
        List<String> texts = GoldenSentences.all().subList(3, 19);
        SentenceEmbedder model = SentenceEmbedder.open(MiniLmFixture.folder(), options);
        List<float[]> direct = new ArrayList<>();
        for (String text : texts) {
            direct.add(model.embed(List.of(text)).get(0));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BatchingEmbedder shared = BatchingEmbedder.wrap(model, BatchingSettings.defaults()
                .withMaxBatchSize(8).withMaxWait(Duration.ofMillis(50)).withBulkBatchTime(Duration.ZERO), registry)) {
            List<Future<List<float[]>>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> mine = texts.subList(t * 4, t * 4 + 4);
                calls.add(pool.submit(() -> shared.embed(mine)));
            }
            for (int t = 0; t < threads; t++) {
                List<float[]> got = calls.get(t).get(60, TimeUnit.SECONDS);
                assertThat(got).hasSize(4);
                for (int i = 0; i < 4; i++) {
                    assertThat(Vectors.maxAbsDifference(got.get(i), direct.get(t * 4 + i)))
                            .as("thread %d text %d", t, i).isLessThan(1e-5);
                }
            }
            assertThat(shared.dimension()).isEqualTo(384);
            assertThat(shared.modelName()).isEqualTo(model.modelName());
        } finally {
            pool.shutdownNow();
        }
        DistributionSummary sizes = registry.get("streamrag.worker.batch.size").summary();
        assertThat(sizes.totalAmount()).isEqualTo(texts.size());
        assertThat(sizes.count()).isLessThan(texts.size());
        assertThat(sizes.max()).isGreaterThan(1);
        assertThat(model.model().manager().isOpen()).as("closing the batching embedder closes the model").isFalse();
    }

    @Test
    void afterCloseCallsFailClearly() throws Exception {
        SentenceEmbedder model = SentenceEmbedder.open(MiniLmFixture.folder(),
                EmbedderOptions.defaults().withMeterRegistry(new SimpleMeterRegistry()));
        BatchingEmbedder shared = BatchingEmbedder.wrap(model, BatchingSettings.defaults(), new SimpleMeterRegistry());
        assertThat(shared.embed(List.of("one"))).hasSize(1);
        shared.close();

        assertThatThrownBy(() -> shared.embed(List.of("two"))).isInstanceOf(WorkerClosedException.class);
    }

    @Test
    void theQuestionsViewEmbedsInTheInteractiveLaneAndClosingItLeavesTheSharedModelOpen() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SentenceEmbedder model = SentenceEmbedder.open(MiniLmFixture.folder(),
                EmbedderOptions.defaults().withMeterRegistry(registry));
        try (BatchingEmbedder shared = BatchingEmbedder.wrap(model, BatchingSettings.defaults(), registry)) {
            float[] bulk = shared.embed(List.of("How tall is Mount Etna?")).get(0);
            TextEmbedder questions = shared.forQuestions();
            float[] interactive = questions.embed(List.of("How tall is Mount Etna?")).get(0);
            questions.close();

            assertThat(Vectors.maxAbsDifference(interactive, bulk)).isLessThan(1e-6);
            assertThat(questions.modelName()).isEqualTo(shared.modelName());
            assertThat(questions.dimension()).isEqualTo(shared.dimension());
            assertThat(registry.get("streamrag.worker.queue.wait").tag("lane", "interactive").timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("streamrag.worker.queue.wait").tag("lane", "bulk").timer().count())
                    .isEqualTo(1);
            assertThat(shared.embed(List.of("still open"))).as("the view does not own the worker").hasSize(1);
        }
    }
}
