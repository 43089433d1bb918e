package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.kafka.deadletter.DeadLetterDeserializationHandler;
import io.streamrag.kafka.deadletter.DeadLetterProcessingHandler;
import io.streamrag.kafka.deadletter.DeadLetterProductionHandler;
import io.streamrag.kafka.deadletter.DeadLetterRouter;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    @Test
    void eachRoleIsItsOwnExactlyOnceApplicationWithDeadLetterHandlersAndClientSecurity() {
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.data.dir", "/var/lib/streamrag",
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.streams.num.stream.threads", "2",
                "schema.registry.url", "https://registry:8081",
                "schema.registry.properties.basic.auth.user.info", "u:p"));
        KafkaEndpoint kafka = KafkaEndpoint.open(config.kafka());

        Properties ingest = StreamsProperties.forRole(Role.INGEST, config, kafka, config.registry().serdeConfig());
        Properties qa = StreamsProperties.forRole(Role.QA, config, kafka, config.registry().serdeConfig());

        assertThat(ingest.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("streamrag-ingest");
        assertThat(qa.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("streamrag-qa");
        assertThat(ingest.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(ingest.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9093");
        assertThat(ingest.get(StreamsConfig.STATE_DIR_CONFIG))
                .isEqualTo(Path.of("/var/lib/streamrag/streams").toString());
        assertThat(ingest.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(ingest.get("num.stream.threads")).isEqualTo("2");
        // an external cluster keeps its own replication defaults
        assertThat(ingest).doesNotContainKey(StreamsConfig.REPLICATION_FACTOR_CONFIG);
        assertThat(ingest.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterDeserializationHandler.class.getName());
        assertThat(ingest.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProcessingHandler.class.getName());
        assertThat(ingest.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProductionHandler.class.getName());
        assertThat(ingest.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG)).isEqualTo(true);
        assertThat(ingest.get(DeadLetterRouter.TOPIC_CONFIG)).isEqualTo("streamrag.dead-letters");
        assertThat(ingest.get(DeadLetterRouter.ROLE_CONFIG)).isEqualTo("ingest");
        assertThat(ingest.get("schema.registry.url")).isEqualTo("https://registry:8081");
        assertThat(ingest.get("basic.auth.user.info")).isEqualTo("u:p");
    }

    @Test
    void idleFetchesWaitTwoSecondsAtTheBrokerBecauseDataEndsTheWaitAtOnceAndEachEmptyFetchCostsARoundTrip() {
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "kafka.bootstrap.servers", "broker:9093"));
        Properties props = StreamsProperties.forRole(Role.QA, config, KafkaEndpoint.open(config.kafka()), Map.of());

        assertThat(props.get("main.consumer.fetch.max.wait.ms")).isEqualTo(2000);
        assertThat(props.get("global.consumer.fetch.max.wait.ms")).isEqualTo(2000);
        assertThat(props).as("restoration reads to the end and stops; nothing to gain there")
                .doesNotContainKeys("consumer.fetch.max.wait.ms", "restore.consumer.fetch.max.wait.ms");

        AppConfig tuned = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "kafka.bootstrap.servers", "broker:9093", "kafka.streams.main.consumer.fetch.max.wait.ms", "500"));
        assertThat(StreamsProperties.forRole(Role.QA, tuned, KafkaEndpoint.open(tuned.kafka()), Map.of())
                .get("main.consumer.fetch.max.wait.ms")).as("a user's setting wins").isEqualTo("500");
    }

    @Test
    void thePollStaysAtStreamsDefaultAndEndsEarlyForBatchChecksWhateverTheLinger() {
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "ingest.batch.max.wait.ms", "50", "qa.batch.max.wait.ms", "20"));
        KafkaEndpoint kafka = KafkaEndpoint.open(config.kafka());
        for (Role role : java.util.List.of(Role.INGEST, Role.QA)) {
            Properties props = StreamsProperties.forRole(role, config, kafka, Map.of());
            assertThat(props.get(StreamsConfig.POLL_MS_CONFIG)).isEqualTo(100L);
            assertThat(props.get(StreamsConfig.DEFAULT_CLIENT_SUPPLIER_CONFIG))
                    .isEqualTo(io.streamrag.kafka.PunctualClientSupplier.class);
        }
    }
}
