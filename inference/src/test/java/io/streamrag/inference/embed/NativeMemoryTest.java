package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding leaves no NDArrays behind: every array of a call lives in a scope that the call closes. */
class NativeMemoryTest {
    private final Path cache = ModelCache.directory();

    private final List<String> texts = List.of("first text", "", "a somewhat longer third text with more tokens");

    @Test
    void theJavaEncoderLeavesOnlyItsWeights() throws Exception {
        try (SentenceEmbedder embedder = SentenceEmbedder.open(MiniLmFixture.folder(), options())) {
            int weights = embedder.model().manager().getManagedArrays().size();
            assertThat(weights).isEqualTo(5 + 6 * 16);

            for (int i = 0; i < 3; i++) {
                embedder.embed(texts);
            }

            assertThat(embedder.model().manager().getManagedArrays()).hasSize(weights);
        }
    }

    @Test
    void theOnnxEmbedderLeavesNothing() throws Exception {
        try (OnnxEmbedder embedder = BundledMiniLm.open(options())) {
            for (int i = 0; i < 3; i++) {
                embedder.embed(texts);
            }

            assertThat(embedder.manager().getManagedArrays()).isEmpty();
        }
    }

    private EmbedderOptions options() {
        return EmbedderOptions.defaults().withCacheDirectory(cache).withMeterRegistry(new SimpleMeterRegistry());
    }
}
