package io.streamrag.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Kafka Streams instance that cannot reach its brokers: started, it rebalances and never runs, so it is live but
 * not ready; closed, it is not live. Its own metrics are published beside the app's.
 */
class KafkaStreamsHealthTest {

    @TempDir
    Path stateDir;

    @Test
    void anInstanceThatCannotReachItsBrokersIsLiveButNotReadyAndClosedIsNotLive() throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "health-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + closedPort());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("documents").to("chunks");
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        ApplicationHealth health = new ApplicationHealth();
        health.addStreams("ingest", StreamsStateSource.of(streams));

        try (ApplicationMetrics metrics = new ApplicationMetrics()) {
            metrics.bindStreams("ingest", streams);
            assertThat(health.readiness().checks().get("streams-ingest")).isEqualTo(CheckResult.down("CREATED"));
            assertThat(health.liveness().up()).isTrue();

            streams.start();
            try {
                HealthReport readiness = health.readiness();
                assertThat(readiness.up()).isFalse();
                assertThat(readiness.checks().get("streams-ingest").detail()).isEqualTo("REBALANCING, never RUNNING yet");
                assertThat(health.liveness().up()).isTrue();
                assertThat(StreamragMetricsTest.seriesNames(metrics.registry().scrape()))
                        .as("Kafka Streams' own metrics")
                        .anyMatch(name -> name.startsWith("kafka_stream_"))
                        .anyMatch(name -> name.startsWith("kafka_consumer_"));
                assertThat(metrics.registry().scrape()).contains("streams=\"ingest\"");
            } finally {
                streams.close(Duration.ofSeconds(30));
            }

            assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
            assertThat(health.liveness().checks().get("streams-ingest")).isEqualTo(CheckResult.down("NOT_RUNNING"));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
