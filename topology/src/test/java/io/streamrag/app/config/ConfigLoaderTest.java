package io.streamrag.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.qa.QaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.streamrag.inference.checkpoint.hub.HubModelId;
import io.streamrag.inference.device.ComputeDevice;
import io.streamrag.inference.device.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsRunEverythingEmbeddedWithNoServices() {
        AppConfig config = AppConfig.defaults();

        assertThat(config.kafka().embedded()).isTrue();
        assertThat(config.kafka().clientBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.kafka().clientConfig()).containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:9092"));
        assertThat(config.registry().embedded()).isTrue();
        assertThat(config.registry().serdeConfig()).containsEntry("schema.registry.url", "http://127.0.0.1:8081");
        assertThat(config.schemaRegistryDir()).isEqualTo(Path.of("data/schema-registry"));
        assertThat(config.models().embedder()).isInstanceOf(ModelSource.Bundled.class);
        assertThat(config.models().generator()).isEmpty();
        assertThat(config.store().type()).isEqualTo(StoreSettings.StoreType.EMBEDDED);
        assertThat(config.qa().mode()).isEqualTo(QaSettings.GenerationMode.RAG_SEQUENCE);
        assertThat(config.topics().replicationFactor()).isEmpty();
        assertThat(config.kafka().brokerDir()).isEqualTo(Path.of("data/kafka"));
    }

    @Test
    void layersFileThenEnvironmentThenSystemPropertiesThenCommandLine() throws IOException {
        Path file = write("streamrag.yaml", """
                kafka:
                  bootstrap.servers: from-file:9092
                  client:
                    security.protocol: SASL_SSL
                qa:
                  num:
                    beams: 2
                  max.new.tokens: 10
                  deadline.ms: 1000
                topics:
                  cdc: [pg.public.articles, pg.public.faq]
                """);
        Map<String, String> env = Map.of(
                "STREAMRAG_QA_NUM_BEAMS", "3",
                "STREAMRAG_QA_MAX_NEW_TOKENS", "20",
                "STREAMRAG_LOG_LEVEL", "DEBUG",
                "PATH", "/usr/bin");
        Properties system = new Properties();
        system.setProperty("streamrag.qa.max.new.tokens", "30");
        system.setProperty("streamrag.qa.deadline.ms", "2000");
        system.setProperty("user.home", "/root");

        AppConfig config = new ConfigLoader(env, system)
                .load(Optional.of(file), Map.of("qa.deadline.ms", "3000"));

        assertThat(config.kafka().bootstrapServers()).contains("from-file:9092");
        assertThat(config.kafka().clientProperties()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        assertThat(config.kafka().clientConfig()).containsEntry("bootstrap.servers", "from-file:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.qa().numBeams()).isEqualTo(3);           // env over file
        assertThat(config.qa().maxNewTokens()).isEqualTo(30);      // -D over env
        assertThat(config.qa().defaultDeadline()).isEqualTo(Duration.ofSeconds(3)); // --set over -D
        assertThat(config.topics().cdcSources()).containsExactly("pg.public.articles", "pg.public.faq");
    }

    @Test
    void readsPropertiesFilesAndPassesRegistryAuthThrough() throws IOException {
        Path file = write("streamrag.properties", """
                schema.registry.url=https://registry.example.com/apis/ccompat/v7
                schema.registry.properties.basic.auth.credentials.source=USER_INFO
                schema.registry.properties.basic.auth.user.info=alice:secret
                store.type=qdrant
                store.qdrant.api.key=qdrant-secret
                models.device=cuda:1
                models.precision=FP16
                """);

        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.of(file), Map.of());

        assertThat(config.registry().serdeConfig()).containsEntry("schema.registry.url",
                "https://registry.example.com/apis/ccompat/v7")
                .containsEntry("basic.auth.credentials.source", "USER_INFO")
                .containsEntry("basic.auth.user.info", "alice:secret");
        assertThat(config.models().device()).isEqualTo(ComputeDevice.cuda(1));
        assertThat(config.models().precision()).isEqualTo(Precision.FP16);
        assertThat(config.store().qdrantApiKey()).contains("qdrant-secret");
        // secrets never reach logs through toString
        assertThat(config.toString()).doesNotContain("alice:secret").doesNotContain("qdrant-secret");
    }

    @Test
    void parsesModelSources() throws IOException {
        Path modelDir = Files.createDirectory(dir.resolve("bart"));
        AppConfig config = new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), Map.of(
                "models.embedder", "hf://sentence-transformers/all-MiniLM-L6-v2@main",
                "models.generator", modelDir.toString()));

        assertThat(config.models().embedder()).isEqualTo(
                new ModelSource.HuggingFace(new HubModelId("sentence-transformers/all-MiniLM-L6-v2", "main")));
        assertThat(config.models().generator()).contains(new ModelSource.LocalDirectory(modelDir));
    }

    @Test
    void rejectsAnUnknownKeyNamingItsOriginAndTheClosestKnownKey() {
        ConfigLoader loader = new ConfigLoader(Map.of(), new Properties());

        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of("ingest.chunk.sise.tokens", "100")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'ingest.chunk.sise.tokens' (--set ingest.chunk.sise.tokens)")
                .hasMessageContaining("did you mean 'ingest.chunk.size.tokens'");
    }

    @Test
    void transactionTimeoutPollIntervalAndBatchBudgetsAreCheckedAgainstEachOtherInOneMessage() {
        ConfigLoader loader = new ConfigLoader(Map.of(), new Properties());
        Map<String, String> settings = Map.of(
                "kafka.transaction.timeout.ms", "1000000",
                "kafka.max.poll.interval.ms", "60000",
                "kafka.streams.commit.interval.ms", "600000",
                "ingest.batch.max.tokens", "100",
                "qa.batch.max.tokens", "200",
                "qa.reply.topics", "answers.*,bad topic");

        assertThatThrownBy(() -> loader.load(Optional.empty(), settings))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "kafka.max.poll.interval.ms=60000 must be at least kafka.transaction.timeout.ms=1000000: a "
                                + "batch may take up to half the transaction timeout between two polls, and a thread "
                                + "that does not poll within kafka.max.poll.interval.ms is fenced by a rebalance "
                                + "(--set kafka.max.poll.interval.ms)",
                        "kafka.transaction.timeout.ms=1000000 is above the brokers' default "
                                + "transaction.max.timeout.ms (900000); producers would be refused "
                                + "(--set kafka.transaction.timeout.ms)",
                        "kafka.transaction.timeout.ms=1000000 must be more than twice "
                                + "kafka.streams.commit.interval.ms (600000): a transaction stays open from one commit "
                                + "to the next (--set kafka.transaction.timeout.ms)",
                        "ingest.batch.max.tokens=100 must be at least ingest.chunk.size.tokens=256: a batch must "
                                + "hold one chunk (--set ingest.batch.max.tokens)",
                        "qa.batch.max.tokens=200 must be at least ingest.chunk.size.tokens=256: a question with "
                                + "one passage must fit (--set qa.batch.max.tokens)",
                        "qa.reply.topics=answers.*,bad topic holds 'bad topic', which is neither a topic name nor "
                                + "a prefix ending in '*' (--set qa.reply.topics)"));
    }

    @Test
    void theRolesTransactionTimeoutAndPollIntervalCannotBeSetAroundTheirKeys() {
        ConfigLoader loader = new ConfigLoader(Map.of(), new Properties());

        assertThatThrownBy(() -> loader.load(Optional.empty(),
                Map.of("kafka.streams.producer.transaction.timeout.ms", "10000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.streams.producer.transaction.timeout.ms")
                .hasMessageContaining("set kafka.transaction.timeout.ms");
    }

    @Test
    void ignoresUnknownEnvironmentVariablesBecauseTheEnvironmentIsShared() {
        AppConfig config = new ConfigLoader(Map.of("STREAMRAG_VARIANT", "cuda", "STREAMRAG_QA_NUM_BEAMS", "2"),
                new Properties()).load(Optional.empty(), Map.of());

        assertThat(config.qa().numBeams()).isEqualTo(2);
    }

    @Test
    void reportsEveryBadValueAtOnceWithKeyValueAndOrigin() throws IOException {
        Path file = write("bad.yaml", """
                qa:
                  generation.mode: beam-search
                  num.beams: zero
                models:
                  device: tpu
                  precision: bf16
                  embedder: /no/such/model
                """);
        ConfigLoader loader = new ConfigLoader(Map.of(), new Properties());

        assertThatThrownBy(() -> loader.load(Optional.of(file), Map.of("store.type", "faiss")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(6).contains(
                            "qa.generation.mode=beam-search must be one of rag-sequence, rag-token, concat (file " + file + ")",
                            "qa.num.beams=zero must be a whole number (file " + file + ")",
                            "models.device=tpu must be one of cpu, cuda, cuda:N (file " + file + ")",
                            "models.embedder=/no/such/model is neither 'default', an hf:// reference nor an existing "
                                    + "directory (file " + file + ")",
                            "store.type=faiss must be one of embedded, qdrant (--set store.type)");
                    // the reason itself is the inference module's (DeviceSettings)
                    assertThat(e.problems()).anySatisfy(problem -> assertThat(problem)
                            .startsWith("models.precision=bf16 cannot be used: ").endsWith("(file " + file + ")"));
                });
    }

    @Test
    void checksRulesAcrossKeys() {
        ConfigLoader loader = new ConfigLoader(Map.of(), new Properties());

        assertThatThrownBy(() -> loader.load(Optional.empty(), Map.of(
                "ingest.chunk.size.tokens", "64",
                "ingest.chunk.overlap.tokens", "64",
                "qa.top.k.default", "30",
                "qa.application.id", "streamrag-ingest",
                "topics.answers", "streamrag.questions",
                "topics.dead.letters", "dead letters",
                "kafka.streams.processing.guarantee", "at_least_once")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "ingest.chunk.overlap.tokens=64 must be less than ingest.chunk.size.tokens=64 (--set ingest.chunk.overlap.tokens)",
                        "qa.top.k.default=30 must not exceed qa.top.k.max=20 (--set qa.top.k.default)",
                        "qa.application.id=streamrag-ingest must differ from ingest.application.id: each role is its own consumer group (--set qa.application.id)",
                        "topics.answers=streamrag.questions is the same topic as topics.questions (--set topics.answers)",
                        "topics.dead.letters=dead letters is not a valid Kafka topic name (letters, digits, '.', '_', '-'; at most 249) (--set topics.dead.letters)",
                        "kafka.streams.processing.guarantee=at_least_once is set by the application and cannot be overridden (--set kafka.streams.processing.guarantee)"));
    }

    @Test
    void masksSecretsWhenDescribingTheEffectiveSettings() {
        RawConfig raw = new ConfigLoader(Map.of("STREAMRAG_KAFKA_CLIENT_SASL_JAAS_CONFIG", "user=\"u\" password=\"p\""),
                new Properties()).raw(Optional.empty(), Map.of());

        assertThat(raw.describe())
                .contains("kafka.client.sasl.jaas.config=****  (environment STREAMRAG_KAFKA_CLIENT_SASL_JAAS_CONFIG)")
                .contains("qa.num.beams=4  (default)")
                .doesNotContain("password=\"p\"");
    }

    @Test
    void namesAMissingConfigFile() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), new Properties()).load(Optional.of(missing), Map.of()))
                .hasMessageContaining("config file " + missing + " does not exist");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
