package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedder a fresh install gets: all-MiniLM-L6-v2 from the jar, no network, no model folder. */
class DefaultEmbedderTest {
    static Path cache = ModelCache.directory();
    static TextEmbedder embedder;

    @BeforeAll
    static void open() throws Exception {
        embedder = Embedders.open("default", EmbedderOptions.defaults().withCacheDirectory(cache)
                .withMeterRegistry(new SimpleMeterRegistry()));
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void describesItself() throws Exception {
        assertThat(embedder).isInstanceOf(OnnxEmbedder.class);
        assertThat(embedder.modelName()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(embedder.dimension()).isEqualTo(384);
        assertThat(embedder.maxTokens()).isEqualTo(256);
        assertThat(BundledMiniLm.unpack(cache).resolve("model.onnx")).isRegularFile();
    }

    @Test
    void aParaphraseScoresHigherThanAnUnrelatedSentence() {
        List<float[]> v = embedder.embed(List.of(
                "How do I reset my password?",
                "What are the steps to change my login password?",
                "The giraffe is the tallest living animal."));

        double paraphrase = Vectors.dot(v.get(0), v.get(1));
        double unrelated = Vectors.dot(v.get(0), v.get(2));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
        assertThat(Vectors.norm(v.get(0))).isCloseTo(1.0, offset(1e-5));
    }

    @Test
    void aQuestionIsCloserToItsAnswerThanToOtherPassages() {
        List<float[]> v = embedder.embed(List.of(
                "Who won the world series in 2020?",
                "The Los Angeles Dodgers won the 2020 World Series against the Tampa Bay Rays.",
                "The Amazon rainforest covers much of the Amazon basin of South America.",
                "Python is a programming language that emphasises readability."));

        double answer = Vectors.dot(v.get(0), v.get(1));
        assertThat(answer).isGreaterThan(Vectors.dot(v.get(0), v.get(2)));
        assertThat(answer).isGreaterThan(Vectors.dot(v.get(0), v.get(3)));
    }

    @Test
    void unpackingTwiceReusesTheCache() throws Exception {
        Path first = BundledMiniLm.unpack(cache);
        long modified = Files.getLastModifiedTime(first.resolve("model.onnx")).toMillis();
        Path second = BundledMiniLm.unpack(cache);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.resolve("model.onnx")).toMillis()).isEqualTo(modified);
    }

    @Test
    void anEmptyListNeedsNoModelCall() {
        assertThat(embedder.embed(List.of())).isEmpty();
    }
}
