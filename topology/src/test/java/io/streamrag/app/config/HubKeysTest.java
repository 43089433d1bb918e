package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.inference.checkpoint.hub.HubSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code models.hub.*} default to the variables Python's huggingface_hub reads ({@code HF_*}), with its precedence,
 * so one cache and token serve both; the application's own sources win over them.
 */
class HubKeysTest {

    private static final Path HOME = Path.of(System.getProperty("user.home"));

    private static HubSettings hub(Map<String, String> environment) {
        return new ConfigLoader(environment, new Properties()).load(Optional.empty(), Map.of()).models().hub();
    }

    @Test
    void defaultsMatchHuggingFaceHub() {
        HubSettings hub = hub(Map.of());

        assertThat(hub.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(hub.cacheDirectory()).isEqualTo(HOME.resolve(".cache/huggingface/hub"));
        assertThat(hub.bearerToken()).isEmpty();
        assertThat(hub.offline()).isFalse();
    }

    @Test
    void cacheDirectoryPrecedenceIsHubCacheThenHfHomeThenXdg() {
        assertThat(hub(Map.of("XDG_CACHE_HOME", "/xdg")).cacheDirectory()).isEqualTo(Path.of("/xdg/huggingface/hub"));
        assertThat(hub(Map.of("XDG_CACHE_HOME", "/xdg", "HF_HOME", "~/hf")).cacheDirectory())
                .isEqualTo(HOME.resolve("hf/hub"));
        assertThat(hub(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/models")).cacheDirectory())
                .isEqualTo(Path.of("/models"));
    }

    @Test
    void readsEndpointTokenAndOfflineSwitch() {
        HubSettings hub = hub(Map.of(
                "HF_ENDPOINT", "https://mirror.example.com/",
                "HF_TOKEN", "hf_abc",
                "HF_HUB_OFFLINE", "1"));

        assertThat(hub.endpoint()).isEqualTo(URI.create("https://mirror.example.com"));
        assertThat(hub.bearerToken()).contains("hf_abc");
        assertThat(hub.offline()).isTrue();
        for (String yes : new String[] {"true", "YES", "on"}) {
            assertThat(hub(Map.of("HF_HUB_OFFLINE", yes)).offline()).isTrue();
        }
        assertThat(hub(Map.of("HF_HUB_OFFLINE", "0")).offline()).isFalse();
        assertThat(hub(Map.of("HF_TOKEN", "  ")).bearerToken()).isEmpty();
    }

    @Test
    void theApplicationsOwnSourcesWinAndTheOriginSaysWhichVariableSetIt() {
        ConfigLoader loader = new ConfigLoader(Map.of("HF_TOKEN", "hf_env", "STREAMRAG_MODELS_HUB_ENDPOINT",
                "https://hub.internal", "HF_ENDPOINT", "https://mirror.example.com"), new Properties());

        assertThat(loader.load(Optional.empty(), Map.of("models.hub.token", "hf_set")).models().hub().bearerToken())
                .contains("hf_set");
        assertThat(loader.load(Optional.empty(), Map.of()).models().hub().endpoint())
                .isEqualTo(URI.create("https://hub.internal"));
        assertThat(loader.raw(Optional.empty(), Map.of()).describe())
                .contains("models.hub.token=****  (environment HF_TOKEN)")
                .doesNotContain("hf_env");
    }

    @Test
    void aBadEndpointIsReportedWithTheVariableThatSetIt() {
        assertThatThrownBy(() -> hub(Map.of("HF_ENDPOINT", "ftp://hub")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "models.hub.endpoint=ftp://hub is not an http(s) URL (environment HF_ENDPOINT)"));
    }
}
