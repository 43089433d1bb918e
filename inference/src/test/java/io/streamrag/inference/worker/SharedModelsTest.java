package io.streamrag.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedModelsTest {

    private static final class CountingModel implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void loadsOncePerKeyAndClosesAfterTheLastHolder() throws Exception {
        SharedModels<CountingModel> shared = new SharedModels<>();
        AtomicInteger loads = new AtomicInteger();
        SharedModels.Loader<CountingModel> loader = () -> {
            loads.incrementAndGet();
            return new CountingModel();
        };

        SharedModels<CountingModel>.Lease ingest = shared.acquire("minilm", loader);
        SharedModels<CountingModel>.Lease qa = shared.acquire("minilm", loader);
        SharedModels<CountingModel>.Lease other = shared.acquire("bge", loader);

        assertThat(loads).hasValue(2);
        assertThat(qa.model()).isSameAs(ingest.model());
        ingest.close();
        ingest.close();
        assertThat(qa.model().closes).hasValue(0);
        qa.close();
        assertThat(qa.model().closes).hasValue(1);
        assertThat(shared.loaded()).isEqualTo(1);
        other.close();
        assertThat(shared.loaded()).isZero();

        try (SharedModels<CountingModel>.Lease again = shared.acquire("minilm", loader)) {
            assertThat(loads).hasValue(3);
            assertThat(again.model().closes).hasValue(0);
        }
    }
}
