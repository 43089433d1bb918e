package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.inference.bert.MiniLmFixture;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX graph we build from the Hugging Face checkpoint, on ONNX Runtime, must give the vectors of Hugging Face
 * transformers (committed reference vectors), of the original Hugging Face ONNX export (the bundled model) and of our
 * Java BERT on PyTorch, text for text.
 */
class OrtSentenceEmbedderGoldenTest {
    private static final int MAX_TOKENS = 512;
    static OrtSentenceEmbedder built;
    static SentenceEmbedder java;
    static OnnxEmbedder exported;

    @BeforeAll
    static void open() throws Exception {
        EmbedderOptions options = EmbedderOptions.defaults().withCacheDirectory(ModelCache.directory())
                .withMaxTokens(MAX_TOKENS).withMeterRegistry(new SimpleMeterRegistry());
        built = OrtSentenceEmbedder.open(MiniLmFixture.folder(), options);
        java = SentenceEmbedder.open(MiniLmFixture.folder(), options);
        exported = BundledMiniLm.open(options);
    }

    @AfterAll
    static void close() {
        built.close();
        java.close();
        exported.close();
    }

    @Test
    void builtGraphMatchesTheHuggingFaceExportAndTheJavaEncoderOnVariedTexts() {
        List<String> texts = GoldenSentences.all();
        for (List<Integer> idx : GoldenSentences.similarLengthBatches()) {
            List<String> batch = idx.stream().map(texts::get).collect(Collectors.toList());
            List<float[]> fromGraph = built.embed(batch);
            List<float[]> fromExport = exported.embed(batch);
            List<float[]> fromJava = java.embed(batch);
            for (int i = 0; i < batch.size(); i++) {
                String label = "text #" + idx.get(i);
                assertThat(fromGraph.get(i)).as(label).hasSize(384);
                assertThat(Vectors.cosine(fromGraph.get(i), fromExport.get(i))).as(label)
                        .isGreaterThanOrEqualTo(0.99999);
                assertThat(Vectors.cosine(fromGraph.get(i), fromJava.get(i))).as(label)
                        .isGreaterThanOrEqualTo(0.99999);
                assertThat(Vectors.maxAbsDifference(fromGraph.get(i), fromExport.get(i))).as(label).isLessThan(1e-4);
                assertThat(Vectors.norm(fromGraph.get(i))).as(label).isCloseTo(1.0, offset(1e-5));
            }
        }
    }

    @Test
    void builtGraphMatchesHuggingFaceTransformersVectors() throws Exception {
        // made by inference/src/test/python/make_minilm_hf_vectors.py with transformers' BertModel
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/embed/minilm_hf_vectors.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        List<String> texts = new ArrayList<>();
        golden.get("texts").forEach(t -> texts.add(t.asText()));
        List<float[]> fromGraph = built.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            JsonNode expectedNode = golden.get("vectors").get(i);
            float[] expected = new float[expectedNode.size()];
            for (int d = 0; d < expected.length; d++) {
                expected[d] = (float) expectedNode.get(d).asDouble();
            }
            assertThat(Vectors.cosine(fromGraph.get(i), expected)).as("text #%d", i).isGreaterThanOrEqualTo(0.99999);
            assertThat(Vectors.maxAbsDifference(fromGraph.get(i), expected)).as("text #%d", i).isLessThan(1e-4);
        }
    }

    @Test
    void paddingInABatchDoesNotChangeAVector() {
        String shortText = "Who won the world series in 2020?";
        float[] alone = built.embed(List.of(shortText)).get(0);
        float[] padded = built.embed(List.of(GoldenSentences.all().get(5), shortText)).get(1);
        assertThat(Vectors.maxAbsDifference(alone, padded)).isLessThan(1e-5);
    }

    @Test
    void readsTheSentenceTransformersSettingsOfTheFolder() {
        assertThat(built.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(built.normalizes()).isTrue();
        assertThat(built.dimension()).isEqualTo(384);
        assertThat(built.maxTokens()).isEqualTo(MAX_TOKENS);
        assertThat(built.modelName()).isEqualTo("all-MiniLM-L6-v2");
    }
}
