package io.streamrag.inference.checkpoint.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSettingsTest {
    private static final Path HOME = Path.of("/home/alice");

    @Test
    void defaultsMatchHuggingFaceHub() {
        HubSettings s = HubSettings.fromEnvironment(Map.of(), HOME);

        assertThat(s.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(s.cacheDirectory()).isEqualTo(Path.of("/home/alice/.cache/huggingface/hub"));
        assertThat(s.bearerToken()).isEmpty();
        assertThat(s.offline()).isFalse();
    }

    @Test
    void cacheDirectoryPrecedenceIsHubCacheThenHfHomeThenXdg() {
        assertThat(HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), HOME).cacheDirectory())
                .isEqualTo(Path.of("/xdg/huggingface/hub"));
        assertThat(HubSettings.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg", "HF_HOME", "~/hf"), HOME)
                .cacheDirectory()).isEqualTo(Path.of("/home/alice/hf/hub"));
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/models"), HOME)
                .cacheDirectory()).isEqualTo(Path.of("/models"));
    }

    @Test
    void readsEndpointTokenAndOfflineSwitch() {
        HubSettings s = HubSettings.fromEnvironment(Map.of(
                "HF_ENDPOINT", "https://mirror.example.com/",
                "HF_TOKEN", "hf_abc",
                "HF_HUB_OFFLINE", "1"), HOME);

        assertThat(s.endpoint()).isEqualTo(URI.create("https://mirror.example.com"));
        assertThat(s.bearerToken()).contains("hf_abc");
        assertThat(s.offline()).isTrue();
        assertThat(s.toString()).doesNotContain("hf_abc");
        for (String yes : new String[] {"true", "YES", "on"}) {
            assertThat(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", yes), HOME).offline()).isTrue();
        }
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "0"), HOME).offline()).isFalse();
        assertThat(HubSettings.fromEnvironment(Map.of("HF_TOKEN", "  "), HOME).bearerToken()).isEmpty();
    }

    @Test
    void refusesANonHttpEndpoint() {
        assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://hub"), HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftp://hub");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        HubSettings.RetryPolicy retry = new HubSettings.RetryPolicy(5,
                java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(2));

        assertThat(retry.delayAfter(1).toMillis()).isEqualTo(500);
        assertThat(retry.delayAfter(2).toMillis()).isEqualTo(1000);
        assertThat(retry.delayAfter(3).toMillis()).isEqualTo(2000);
        assertThat(retry.delayAfter(9).toMillis()).isEqualTo(2000);
    }
}
