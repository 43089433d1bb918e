package io.streamrag.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The embedded broker's settings that keep it quiet while idle (issue 13), and that a caller can still override. */
class EmbeddedKafkaBrokerTest {

    private static Map<String, String> settings(EmbeddedKafkaBroker.Builder builder) {
        return builder.build().brokerProperties(Path.of("/tmp/logs"), 9092, 9093);
    }

    @Test
    void theControllerWritesNoOpRecordsOnceAMinuteNotEvery500MsBecauseOneNodeHasNoFollowerToReassure() {
        assertThat(settings(EmbeddedKafkaBroker.builder(Path.of("/tmp/k"))))
                .as("each no-op record is a raft append, flush and metadata publication on an idle broker")
                .containsEntry("metadata.max.idle.interval.ms", "60000");
    }

    @Test
    void twoRequestHandlersAndOneNetworkThreadBecauseEachWakesEvery300MsEvenWhenNoRequestComes() {
        assertThat(settings(EmbeddedKafkaBroker.builder(Path.of("/tmp/k"))))
                .as("one application's clients on one host; waiting requests sit in purgatories, not in handlers")
                .containsEntry("num.io.threads", "2")
                .containsEntry("num.network.threads", "1");
    }

    @Test
    void aCallersSettingWinsOverTheQuietDefaults() {
        assertThat(settings(EmbeddedKafkaBroker.builder(Path.of("/tmp/k")).brokerProperty("num.io.threads", "8")))
                .containsEntry("num.io.threads", "8")
                .containsEntry("offsets.topic.replication.factor", "1");
    }
}
