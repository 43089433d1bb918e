package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.app.config.AppConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QaConfigurationTest {

    @Test
    void theApplicationDefaultsMapOntoTheTopologySettings() {
        AppConfig config = AppConfig.defaults();
        QaSettings settings = QaConfiguration.settingsFrom(config);

        assertThat(settings.questionsTopic()).isEqualTo(config.topics().questions());
        assertThat(settings.answersTopic()).isEqualTo(config.topics().answers());
        assertThat(settings.deadLetterTopic()).isEqualTo(config.topics().deadLetters());
        assertThat(settings.mode()).isEqualTo(QaSettings.GenerationMode.RAG_SEQUENCE);
        assertThat(settings.decoding()).isEqualTo(QaSettings.RagDecoding.THOROUGH);
        assertThat(settings.defaultTopK()).isEqualTo(config.qa().defaultTopK());
        assertThat(settings.maxTopK()).isEqualTo(config.qa().maxTopK());
        assertThat(settings.scoreThreshold()).isEqualTo(config.qa().scoreThreshold());
        assertThat(settings.batchMaxSize()).isEqualTo(config.qa().embedBatchSize());
        assertThat(settings.batchLinger()).isEqualTo(config.qa().batchMaxWait());
        assertThat(settings.defaultDeadline()).isEqualTo(config.qa().deadline());
        assertThat(settings.numBeams()).isEqualTo(config.qa().numBeams());
        assertThat(settings.maxNewTokens()).isEqualTo(config.qa().maxNewTokens());
        assertThat(settings.batchLinger()).isPositive().isLessThan(Duration.ofSeconds(1));
    }
}
