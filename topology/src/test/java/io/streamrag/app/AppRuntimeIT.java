package io.streamrag.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.kafka.TopicAdmin;
import io.streamrag.kafka.TopicSpec;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's Streams runtime ({@link AppRuntime}: topics, exactly-once role, dead-letter handlers) on a real
 * broker, with the real registry serde talking HTTP to the runtime's embedded schema registry.
 */
class AppRuntimeIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    Path dataDir;

    @Test
    void transformsGoodRecordsAndDeadLettersBadOnesWithTheirCoordinatesWhileLaterRecordsStillFlow() throws Exception {
        AppConfig config = config(KAFKA.uniqueTopic("normalise"));
        String output = outputTopic(config);

        try (AppRuntime runtime = startNormaliser(config, output)) {
            Map<String, Object> serdes = runtime.schemaRegistry().serdeConfig();
            String questionsTopic = config.topics().questions();
            byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

            RecordMetadata first = send(serdes, questionsTopic, "q-1", question("q-1", "who won in 2020?"));
            RecordMetadata bad = sendRaw(questionsTopic, "q-2", garbage);
            RecordMetadata exploding = send(serdes, questionsTopic, "q-3", question("q-3", "please explode"));
            RecordMetadata last = send(serdes, questionsTopic, "q-4", question("q-4", "still flowing?"));

            List<ConsumerRecord<String, Question>> out = consume(output, questionDeserializer(serdes), 2);
            assertThat(out).extracting(ConsumerRecord::key).containsExactly("q-1", "q-4");
            assertThat(out).extracting(r -> r.value().getText()).containsExactly("WHO WON IN 2020?", "STILL FLOWING?");

            List<ConsumerRecord<String, DeadLetter>> dead = consume(config.topics().deadLetters(),
                    deadLetterDeserializer(serdes), 2);
            assertThat(dead).hasSize(2);

            DeadLetter undeserialisable = dead.get(0).value();
            assertThat(undeserialisable.getTopic()).isEqualTo(questionsTopic);
            assertThat(undeserialisable.getPartition()).isEqualTo(bad.partition());
            assertThat(undeserialisable.getOffset()).isEqualTo(bad.offset());
            assertThat(undeserialisable.getStage()).isEqualTo("deserialize");
            assertThat(bytes(undeserialisable.getValue())).isEqualTo(garbage);
            assertThat(bytes(undeserialisable.getKey())).isEqualTo("q-2".getBytes(StandardCharsets.UTF_8));
            assertThat(undeserialisable.getErrorMessage()).isNotBlank();
            assertThat(dead.get(0).key()).isEqualTo("q-2"); // the original key, for replays to the same partition

            DeadLetter failed = dead.get(1).value();
            assertThat(failed.getOffset()).isEqualTo(exploding.offset());
            assertThat(failed.getStage()).isEqualTo(QuestionNormaliserRole.STAGE);
            assertThat(failed.getDocumentId()).isEqualTo("q-3");
            assertThat(failed.getErrorClass()).isEqualTo("io.streamrag.kafka.deadletter.RecordFailure");
            assertThat(failed.getErrorMessage()).isEqualTo("cannot normalise 'please explode'");
            assertThat(get(runtime, "/health/ready")).contains("\"streams-qa\":{\"status\":\"UP\"");
            assertThat(get(runtime, "/metrics"))
                    .contains("streamrag_dead_letters_total{stage=\"deserialize\"} 1.0")
                    .contains("streamrag_dead_letters_total{stage=\"normalise\"} 1.0");
            assertThat(first.offset()).isLessThan(bad.offset());
            assertThat(last.offset()).isGreaterThan(exploding.offset());
        }
    }

    @Test
    void aRestartedRuntimeResumesAfterItsCommittedOffsetsWithoutDuplicates() throws Exception {
        AppConfig config = config(KAFKA.uniqueTopic("restart"));
        String output = outputTopic(config);
        String questionsTopic = config.topics().questions();

        byte[] producedWhileStopped;
        try (AppRuntime first = startNormaliser(config, output)) {
            Map<String, Object> serdes = first.schemaRegistry().serdeConfig();
            send(serdes, questionsTopic, "q-1", question("q-1", "before restart"));
            assertThat(consume(output, questionDeserializer(serdes), 1)).hasSize(1);
            // the registry is the runtime's, so the record for the downtime is encoded while it runs
            producedWhileStopped = serialize(serdes, questionsTopic, question("q-2", "while stopped"));
        }
        sendRaw(questionsTopic, "q-2", producedWhileStopped);

        try (AppRuntime second = startNormaliser(config, output)) {
            Map<String, Object> serdes = second.schemaRegistry().serdeConfig();
            send(serdes, questionsTopic, "q-3", question("q-3", "after restart"));

            // read with the restarted registry: the journal kept the ids the first one gave out
            List<ConsumerRecord<String, Question>> out = consume(output, questionDeserializer(serdes), 3);
            assertThat(out).extracting(ConsumerRecord::key).containsExactly("q-1", "q-2", "q-3");
        }
    }

    @Test
    void anErrorNoHandlerMayTakeStopsTheRoleAndWakesTheApplication() throws Exception {
        AppConfig config = config(KAFKA.uniqueTopic("fatal"));
        String output = outputTopic(config);

        try (AppRuntime runtime = startNormaliser(config, output)) {

            send(runtime.schemaRegistry().serdeConfig(), config.topics().questions(), "q-9",
                    question("q-9", "fatal question"));

            assertThat(runtime.awaitTermination(Duration.ofSeconds(60))).isTrue();
            assertThat(runtime.failedRole()).hasValueSatisfying(role -> {
                assertThat(role.role()).isEqualTo(Role.QA);
                assertThat(role.state()).isIn(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
            });
        }
    }

    @Test
    void theEmbeddedStoreRefusesASecondInstanceAtStartAndGoesUnreadyWhileAnotherMemberOwnsPartitions()
            throws Exception {
        String prefix = KAFKA.uniqueTopic("guard");
        AppConfig embedded = config(prefix, dataDir.resolve("a"), Map.of("store.type", "embedded",
                "topics.partitions", "2"));
        String output = outputTopic(embedded);
        String guardCheck = "single-instance-store-qa";

        try (AppRuntime first = startNormaliser(embedded, output)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.health().readiness().checks()
                    .get(guardCheck).detail().contains("owns every partition"));
            assertThat(first.health().readiness().up()).isTrue();

            // a second embedded instance sees the group's member and refuses, naming the setting and the fix
            AppConfig secondEmbedded = config(prefix, dataDir.resolve("b"), Map.of("store.type", "embedded",
                    "topics.partitions", "2"));
            assertThatThrownBy(() -> AppRuntime.start(secondEmbedded, List.of(new QuestionNormaliserRole(output))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("store.type=embedded")
                    .hasMessageContaining("store.type=qdrant")
                    .hasMessageContaining("1 member(s)");

            // a member that slips past the start-up check (here: one not using the embedded store) takes partitions
            // away on the rebalance: the embedded instance goes unready, and ready again when it leaves
            AppConfig qdrantMember = config(prefix, dataDir.resolve("c"), Map.of("store.type", "qdrant",
                    "topics.partitions", "2"));
            try (AppRuntime joiner = startNormaliser(qdrantMember, output)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !first.health().readiness().checks()
                        .get(guardCheck).up());
                assertThat(first.health().readiness().up()).isFalse();
                assertThat(first.health().readiness().checks().get(guardCheck).detail())
                        .contains("1 of 2 input partitions", "store.type=qdrant");
                assertThat(joiner.health().readiness().checks()).doesNotContainKey(guardCheck);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> first.health().readiness().checks()
                    .get(guardCheck).up());
        }
    }

    private AppConfig config(String prefix) {
        return config(prefix, dataDir, Map.of());
    }

    /** Another instance needs its own data directory (Streams state, registry journal). */
    private AppConfig config(String prefix, Path instanceDir, Map<String, String> overrides) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("kafka.data.dir", instanceDir.toString());
        settings.put("kafka.shutdown.timeout.ms", "20000");
        settings.put("schema.registry.embedded.port", "0");
        settings.put("topics.partitions", "1");
        settings.put("topics.questions", prefix + ".questions");
        settings.put("topics.answers", prefix + ".answers");
        settings.put("topics.dead.letters", prefix + ".dead-letters");
        settings.put("topics.documents", prefix + ".documents");
        settings.put("topics.index.updates", prefix + ".index-updates");
        settings.put("qa.application.id", prefix + "-qa");
        settings.put("metrics.port", "0");
        settings.putAll(overrides);
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), settings);
    }

    /** The normaliser's output topic, created: the role's topics are the app's, this one is the test's. */
    private static String outputTopic(AppConfig config) {
        String output = config.topics().questions() + ".out";
        try (Admin admin = KAFKA.admin()) {
            new TopicAdmin(admin, Duration.ofSeconds(30))
                    .ensureTopics(List.of(new TopicSpec(output, 1, Optional.empty(), Map.of())));
        }
        return output;
    }

    /** The runtime with the normaliser role, once its Streams instance is RUNNING. */
    private static AppRuntime startNormaliser(AppConfig config, String output) {
        AppRuntime runtime = AppRuntime.start(config, List.of(new QuestionNormaliserRole(output)));
        await().atMost(Duration.ofSeconds(60)).until(runtime::allRolesRunning);
        return runtime;
    }

    private static Question question(String id, String text) {
        return Question.newBuilder().setQuestionId(id).setText(text).setRequestedAt(Instant.now()).build();
    }

    private static RecordMetadata send(Map<String, Object> serdes, String topic, String key, Question value)
            throws Exception {
        return sendRaw(topic, key, serialize(serdes, topic, value));
    }

    private static byte[] serialize(Map<String, Object> serdes, String topic, Question value) {
        SpecificAvroSerde<Question> serde = new SpecificAvroSerde<>(Question.class);
        serde.configure(serdes, false);
        return serde.serializer().serialize(topic, value);
    }

    private static RecordMetadata sendRaw(String topic, String key, byte[] value) throws Exception {
        Map<String, Object> props = KAFKA.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static Deserializer<Question> questionDeserializer(Map<String, Object> serdes) {
        SpecificAvroSerde<Question> serde = new SpecificAvroSerde<>(Question.class);
        serde.configure(serdes, false);
        return serde.deserializer();
    }

    private static Deserializer<DeadLetter> deadLetterDeserializer(Map<String, Object> serdes) {
        SpecificAvroSerde<DeadLetter> serde = new SpecificAvroSerde<>(DeadLetter.class);
        serde.configure(serdes, false);
        return serde.deserializer();
    }

    /** Reads committed records only: the role writes in transactions, aborted output must not count. */
    private static <V> List<ConsumerRecord<String, V>> consume(String topic, Deserializer<V> deserializer, int count) {
        Map<String, Object> props = KAFKA.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + java.util.UUID.randomUUID()); // always from the start
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // one more poll, so that unexpected extra records show up as a failure
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static String get(AppRuntime runtime, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + runtime.metricsPort().orElseThrow() + path)).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
