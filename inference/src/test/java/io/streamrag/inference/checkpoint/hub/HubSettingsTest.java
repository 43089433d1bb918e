package io.streamrag.inference.checkpoint.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HubSettingsTest {
    @Test
    void dropsTheEndpointsTrailingSlashAndNeverPrintsTheToken() {
        HubSettings s = HubSettings.of(URI.create("https://mirror.example.com/"), Path.of("/cache")).withToken("hf_abc");

        assertThat(s.endpoint()).isEqualTo(URI.create("https://mirror.example.com"));
        assertThat(s.bearerToken()).contains("hf_abc");
        assertThat(s.toString()).doesNotContain("hf_abc");
        assertThat(s.withToken("  ").bearerToken()).isEmpty();
    }

    @Test
    void refusesANonHttpEndpoint() {
        assertThatThrownBy(() -> HubSettings.of(URI.create("ftp://hub"), Path.of("/cache")))
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
