package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our Java BERT encoder on the Hugging Face weights must reproduce ONNX Runtime on the original ONNX export of
 * all-MiniLM-L6-v2, text for text.
 */
class MiniLmGoldenTest {
    private static final int MAX_TOKENS = 512;
    static Path cache = ModelCache.directory();
    static SimpleMeterRegistry javaMetrics = new SimpleMeterRegistry();
    static SentenceEmbedder java;
    static OnnxEmbedder onnx;

    @BeforeAll
    static void open() throws Exception {
        EmbedderOptions options = EmbedderOptions.defaults().withCacheDirectory(cache).withMaxTokens(MAX_TOKENS);
        java = SentenceEmbedder.open(MiniLmFixture.folder(), options.withMeterRegistry(javaMetrics));
        onnx = BundledMiniLm.open(options.withMeterRegistry(new SimpleMeterRegistry()));
    }

    @AfterAll
    static void close() {
        java.close();
        onnx.close();
    }

    @Test
    void javaEncoderMatchesOnnxRuntimeOnVariedTexts() {
        List<String> texts = GoldenSentences.all();
        assertThat(texts).hasSizeGreaterThanOrEqualTo(50);
        List<List<Integer>> batches = GoldenSentences.similarLengthBatches();
        for (List<Integer> idx : batches) {
            List<String> batch = idx.stream().map(texts::get).collect(Collectors.toList());
            List<float[]> expected = onnx.embed(batch);
            List<float[]> actual = java.embed(batch);
            for (int i = 0; i < batch.size(); i++) {
                String label = "text #" + idx.get(i) + " '" + abbreviate(batch.get(i)) + "'";
                assertThat(actual.get(i)).as(label).hasSize(384);
                assertThat(Vectors.cosine(actual.get(i), expected.get(i))).as(label).isGreaterThanOrEqualTo(0.9999);
                assertThat(Vectors.maxAbsDifference(actual.get(i), expected.get(i))).as(label).isLessThan(1e-4);
                assertThat(Vectors.norm(actual.get(i))).as(label).isCloseTo(1.0, offset(1e-5));
            }
        }
    }

    @Test
    void longTextsAreTruncatedAndCountedNotRejected() {
        List<String> texts = GoldenSentences.all();
        String longest = texts.get(texts.size() - GoldenSentences.LONG_COUNT);
        assertThat(java.tokenizer().encode(longest).getIds().length).isGreaterThan(MAX_TOKENS);
        double before = javaMetrics.counter("streamrag.embedder.truncated", "model", java.modelName()).count();

        List<float[]> vectors = java.embed(List.of(longest, "short text"));

        assertThat(vectors).hasSize(2);
        assertThat(javaMetrics.counter("streamrag.embedder.truncated", "model", java.modelName()).count())
                .isEqualTo(before + 1);
    }

    @Test
    void paddingInABatchDoesNotChangeAVector() {
        String shortText = "Who won the world series in 2020?";
        float[] alone = java.embed(List.of(shortText)).get(0);
        float[] padded = java.embed(List.of(GoldenSentences.all().get(5), shortText)).get(1);
        assertThat(Vectors.maxAbsDifference(alone, padded)).isLessThan(1e-5);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
