package io.streamrag.store.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QdrantConfigTest {

    @Test
    void neverPrintsTheApiKey() {
        QdrantConfig config = QdrantConfig.of("qdrant.example", 6334, "docs").withApiKey("top-secret").withTls(true);

        assertThat(config.toString()).doesNotContain("top-secret").contains("apiKey=***").contains("grpcs://");
    }

    @Test
    void treatsABlankApiKeyAsNone() {
        assertThat(QdrantConfig.of("localhost", 6334, "docs").withApiKey("  ").apiKey()).isNull();
    }

    @Test
    void rejectsInvalidSettingsAtOnce() {
        QdrantConfig valid = QdrantConfig.of("localhost", 6334, "docs");

        assertThatThrownBy(() -> QdrantConfig.of(" ", 6334, "docs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdrantConfig.of("localhost", 0, "docs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdrantConfig.of("localhost", 6334, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withUpsertBatchSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
