package io.streamrag.inference.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.inference.checkpoint.hub.DownloadProgress;
import io.streamrag.inference.checkpoint.hub.HubSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir
    Path dir;

    private ModelLocator locator() {
        // a closed port: a local folder must never touch the network
        return new ModelLocator(HubSettings.of(URI.create("http://127.0.0.1:9"), dir.resolve("cache"))
                .withOffline(true), DownloadProgress.NONE);
    }

    @Test
    void aCompleteLocalFolderIsUsedAsIs() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("tokenizer.json"), "{}");
        Files.write(model.resolve("model.safetensors"), new byte[16]);

        assertThat(locator().resolve(model.toString())).isEqualTo(model.toAbsolutePath().normalize());
    }

    @Test
    void aFolderWithShardedWeightsNeedsEveryShard() throws IOException {
        Path model = Files.createDirectories(dir.resolve("sharded"));
        Files.writeString(model.resolve("config.json"), "{}");
        Files.writeString(model.resolve("tokenizer.json"), "{}");
        Files.writeString(model.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        Files.write(model.resolve("model-00001-of-00002.safetensors"), new byte[16]);

        assertThatThrownBy(() -> locator().resolve(model.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("model-00002-of-00002.safetensors")
                .hasMessageNotContaining("model-00001-of-00002.safetensors");

        Files.write(model.resolve("model-00002-of-00002.safetensors"), new byte[16]);
        assertThat(locator().resolve(model.toString())).isEqualTo(model.toAbsolutePath().normalize());
    }

    @Test
    void anIncompleteFolderIsRefusedNamingEveryMissingFile() throws IOException {
        Path model = Files.createDirectories(dir.resolve("half"));
        Files.writeString(model.resolve("config.json"), "{}");

        assertThatThrownBy(() -> locator().resolve(model.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("model.safetensors");
        assertThatThrownBy(() -> locator().resolve(dir.resolve("nowhere").toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aHubNameOfflineWithAnEmptyCacheSaysSo() {
        assertThatThrownBy(() -> locator().resolve("hf://org/name"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("org/name");
    }
}
