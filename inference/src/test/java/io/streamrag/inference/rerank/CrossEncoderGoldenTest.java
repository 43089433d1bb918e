package io.streamrag.inference.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.inference.device.DeviceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java cross-encoder against Hugging Face {@code AutoModelForSequenceClassification} on a tiny random
 * {@code BertForSequenceClassification} (made by {@code src/test/python/make_cross_encoder_fixtures.py}): same
 * pair tokenisation (padding to the longest pair, passage-only truncation), logits within 1e-4.
 */
class CrossEncoderGoldenTest {

    private static JsonNode goldens;
    private static CrossEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        Path root = Path.of(CrossEncoderGoldenTest.class.getResource("/rerank").toURI());
        goldens = new ObjectMapper().readTree(root.resolve("goldens.json").toFile());
        encoder = CrossEncoder.load(root.resolve("tiny-cross-encoder"), DeviceSettings.CPU_FP32);
    }

    @AfterAll
    static void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void logitsMatchHuggingFaceForABatchOfPairs() {
        List<String> questions = new ArrayList<>();
        List<String> passages = new ArrayList<>();
        goldens.get("pairs").forEach(pair -> {
            questions.add(pair.get("question").asText());
            passages.add(pair.get("passage").asText());
        });

        float[][] logits = encoder.logits(questions, passages);

        JsonNode expected = goldens.get("logits");
        assertThat(logits.length).isEqualTo(expected.size());
        for (int i = 0; i < logits.length; i++) {
            assertThat(logits[i].length).isEqualTo(expected.get(i).size());
            for (int label = 0; label < logits[i].length; label++) {
                assertThat((double) logits[i][label]).as("pair %d label %d", i, label)
                        .isCloseTo(expected.get(i).get(label).asDouble(), within(1e-4));
            }
        }
    }

    @Test
    void aPairScoresTheSameAloneAsInABatch() {
        JsonNode pair = goldens.get("pairs").get(2); // the long one: its passage is truncated
        double[] alone = encoder.score(pair.get("question").asText(), List.of(pair.get("passage").asText()));

        assertThat(alone[0]).isCloseTo(goldens.get("logits").get(2).get(0).asDouble(), within(1e-4));
    }

    @Test
    void scoresOnePerPassageInOrder() {
        JsonNode pairs = goldens.get("pairs");
        String question = pairs.get(0).get("question").asText();
        double[] scores = encoder.score(question, List.of(pairs.get(0).get("passage").asText(),
                pairs.get(1).get("passage").asText()));

        assertThat(scores).hasSize(2);
        assertThat(scores[0]).isCloseTo(goldens.get("logits").get(0).get(0).asDouble(), within(1e-4));
        assertThat(scores[1]).isCloseTo(goldens.get("logits").get(1).get(0).asDouble(), within(1e-4));
    }

    @Test
    void aFolderWithoutAClassifierIsRefused(@TempDir Path dir) throws Exception {
        Path root = Path.of(CrossEncoderGoldenTest.class.getResource("/rerank/tiny-cross-encoder").toURI());
        Files.copy(root.resolve("config.json"), dir.resolve("config.json"));
        assertThatThrownBy(() -> CrossEncoder.load(dir, DeviceSettings.CPU_FP32)).isInstanceOf(IOException.class)
                .hasMessageContaining("tokenizer.json");
    }
}
