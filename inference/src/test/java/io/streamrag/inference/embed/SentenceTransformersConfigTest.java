package io.streamrag.inference.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentenceTransformersConfigTest {
    @TempDir
    Path folder;

    @Test
    void modulesJsonPointsAtThePoolingFolderAndTheNormalizeModule() throws Exception {
        Files.writeString(folder.resolve("modules.json"), "[{\"idx\":0,\"path\":\"\",\"type\":"
                + "\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"path\":\"1_Pooling\",\"type\":"
                + "\"sentence_transformers.models.Pooling\"},{\"idx\":2,\"path\":\"2_Normalize\",\"type\":"
                + "\"sentence_transformers.models.Normalize\"}]");
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.writeString(folder.resolve("1_Pooling/config.json"),
                "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
        Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 512}");

        assertThat(SentenceTransformersConfig.read(folder)).contains(
                new SentenceTransformersConfig(Pooling.CLS, true, OptionalInt.of(512)));
    }

    @Test
    void withoutANormalizeModuleVectorsAreNotNormalised() throws Exception {
        Files.writeString(folder.resolve("modules.json"), "[{\"idx\":1,\"path\":\"1_Pooling\",\"type\":"
                + "\"sentence_transformers.models.Pooling\"}]");
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.writeString(folder.resolve("1_Pooling/config.json"), "{\"pooling_mode_mean_tokens\": true}");

        assertThat(SentenceTransformersConfig.read(folder)).contains(
                new SentenceTransformersConfig(Pooling.MEAN, false, OptionalInt.empty()));
    }

    @Test
    void aBarePoolingConfigMeansASentenceTransformersModel() throws Exception {
        Files.writeString(folder.resolve("pooling_config.json"), "{\"pooling_mode_mean_tokens\": true}");

        assertThat(SentenceTransformersConfig.read(folder)).contains(
                new SentenceTransformersConfig(Pooling.MEAN, true, OptionalInt.empty()));
    }

    @Test
    void aPlainHuggingFaceFolderHasNone() throws Exception {
        assertThat(SentenceTransformersConfig.read(folder)).isEmpty();
    }

    @Test
    void unsupportedPoolingIsRefused() throws Exception {
        Files.writeString(folder.resolve("pooling_config.json"), "{\"pooling_mode_max_tokens\": true}");

        assertThatThrownBy(() -> SentenceTransformersConfig.read(folder))
                .hasMessageContaining("only mean and cls pooling");
    }
}
