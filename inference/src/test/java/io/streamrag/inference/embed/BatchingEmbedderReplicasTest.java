package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.worker.BatchingSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Replicas of one model (one per device) each get a worker; texts go to the replica with the shorter queue. */
class BatchingEmbedderReplicasTest {

    /** Stands in for a model on one device: records what it embedded; the first replica can be held busy. */
    private static class Replica implements TextEmbedder {
        final HuggingFaceTokenizer tokenizer;
        final float marker;
        final CountDownLatch busy;
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean closed = new AtomicBoolean();

        Replica(HuggingFaceTokenizer tokenizer, float marker, CountDownLatch busy) {
            this.tokenizer = tokenizer;
            this.marker = marker;
            this.busy = busy;
        }

        @Override
        public String modelName() {
            return "fake";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public int maxTokens() {
            return 32;
        }

        @Override
        public HuggingFaceTokenizer tokenizer() {
            return tokenizer;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            try {
                busy.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.addAll(texts);
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                out.add(new float[] {marker, t.length()});
            }
            return out;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aBusyReplicaLeavesTheWorkToTheOther() throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                MiniLmFixture.folder().resolve("tokenizer.json"))) {
            CountDownLatch firstBusy = new CountDownLatch(1);
            Replica first = new Replica(tokenizer, 0, firstBusy);
            Replica second = new Replica(tokenizer, 1, new CountDownLatch(0));
            BatchingEmbedder shared = BatchingEmbedder.replicate(List.of(first, second),
                    BatchingSettings.defaults().withMaxBatchSize(1).withLookahead(1), new SimpleMeterRegistry());
            try {
                CompletableFuture<List<float[]>> call = CompletableFuture.supplyAsync(
                        () -> shared.embed(List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff")));
                for (int i = 0; i < 3000 && second.seen.size() < 2; i++) {
                    Thread.sleep(10);
                }
                // the second replica works while the first is stuck on its first text
                assertThat(second.seen).hasSizeGreaterThanOrEqualTo(2);
                assertThat(first.seen).isEmpty();
                firstBusy.countDown();

                List<float[]> vectors = call.get(30, TimeUnit.SECONDS);
                assertThat(vectors).extracting(v -> v[1]).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
                assertThat(first.seen.size() + second.seen.size()).isEqualTo(6);
                for (float[] v : vectors) {
                    String text = "abcdef".substring((int) v[1] - 1, (int) v[1]).repeat((int) v[1]);
                    assertThat(v[0] == 0 ? first.seen : second.seen).as(text).contains(text);
                }
            } finally {
                firstBusy.countDown();
                shared.close();
            }
            assertThat(first.closed).isTrue();
            assertThat(second.closed).isTrue();
        }
    }

    @Test
    void replicasMustBeTheSameModel() throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                MiniLmFixture.folder().resolve("tokenizer.json"))) {
            Replica a = new Replica(tokenizer, 0, new CountDownLatch(0));
            TextEmbedder other = new Replica(tokenizer, 1, new CountDownLatch(0)) {
                @Override
                public int dimension() {
                    return 3;
                }
            };
            assertThatThrownBy(() -> BatchingEmbedder.replicate(List.of(a, other), BatchingSettings.defaults(),
                    new SimpleMeterRegistry())).hasMessageContaining("replicas differ");
        }
    }
}
