package io.streamrag.app.startup;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.app.config.ModelSource;
import io.streamrag.inference.checkpoint.ModelLocator;
import io.streamrag.inference.checkpoint.hub.DownloadProgress;
import io.streamrag.inference.checkpoint.hub.HubSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPreflightTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratorWhoseDecoderCannotHoldTheAnswerIsRefusedWithTheLimit() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"bart\",\"max_position_embeddings\":32}");
        ModelSource generator = new ModelSource.LocalDirectory(dir);

        assertThatThrownBy(() -> ModelPreflight.requireRoomForAnswers(generator, dir, 64))
                .isInstanceOf(StartupException.class)
                .hasMessage("models.generator=" + dir + " has max_position_embeddings 32, too small for"
                        + " qa.max.new.tokens=64 (plus the decoder start token): set qa.max.new.tokens to at most 31");
        assertThatCode(() -> ModelPreflight.requireRoomForAnswers(generator, dir, 31)).doesNotThrowAnyException();
    }

    @Test
    void anUnreachableHubFailsInSecondsNamingTheSettingAndTheModel() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        HubSettings hub = HubSettings.of(URI.create("http://127.0.0.1:" + closedPort), dir.resolve("hub"))
                .withRetry(new HubSettings.RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        ModelPreflight preflight = new ModelPreflight(new ModelLocator(hub, DownloadProgress.NONE));
        AppConfig config = new ConfigLoader(Map.of(), new Properties())
                .load(Optional.empty(), Map.of("models.generator", "hf://facebook/bart-base"));

        assertThatThrownBy(() -> preflight.check(config))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("cannot load models.generator=hf://facebook/bart-base@main: the hub at"
                        + " http://127.0.0.1:" + closedPort + " could not be reached")
                .hasMessageNotContaining("\n");
    }

    @Test
    void theBundledEmbedderAndNoGeneratorNeedNothing() {
        ModelPreflight preflight = new ModelPreflight(new ModelLocator(
                HubSettings.of(URI.create("http://127.0.0.1:9"), dir), DownloadProgress.NONE));

        assertThatCode(() -> preflight.check(AppConfig.defaults())).doesNotThrowAnyException();
    }
}
