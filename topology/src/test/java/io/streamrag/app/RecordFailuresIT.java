package io.streamrag.app;

import static io.streamrag.app.AppClient.document;
import static io.streamrag.app.AppClient.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Question;
import io.streamrag.app.IngestRole;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.kafka.TopicAdmin;
import io.streamrag.kafka.TopicSpec;
import io.streamrag.app.QaRole;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A record can fail, the app cannot": the records that used to stop the whole application (and stop it again after
 * every restart) are fed to the app as a user runs it (ingest and QA roles, bundled embedder, embedded store, real
 * broker): a question replying to an invalid topic name, to a topic that does not exist, to a topic it may not write
 * to; a 2 MB document (its dead letter would exceed the producer's request size); a document whose key is not its
 * id. Each gets its dead letter (and each question an INVALID answer), good records before and after are answered and
 * indexed, nothing stops, and after a restart the app goes on without meeting the bad records again.
 */
class RecordFailuresIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    @Test
    void poisonRecordsGetDeadLettersAndTheAppKeepsAnsweringAndIndexingAcrossARestart() throws Exception {
        AppConfig config = config();
        String documents = config.topics().documents();
        String questions = config.topics().questions();
        // the documents topic takes big records, as a user's may: the 2 MB body reaches the app
        try (Admin admin = KAFKA.admin()) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensureTopics(List.of(new TopicSpec(documents, 1,
                    Optional.empty(), Map.of("max.message.bytes", Integer.toString(8 * 1024 * 1024)))));
        }

        try (AppRuntime app = start(config)) {
            AppClient client = client(app);
            client.send(documents, "paris", document("paris", 1, "Paris is the capital of France."));
            awaitIndexed(client, config, 1);

            client.send(questions, "q-bad-name", withReplyTo(question("q-bad-name", "capital of France?"),
                    "bad topic!"));
            client.send(questions, "q-missing", withReplyTo(question("q-missing", "capital of France?"),
                    config.topics().answers() + ".nobody-created-this"));
            client.send(questions, "q-foreign", withReplyTo(question("q-foreign", "capital of France?"),
                    config.topics().documents()));
            client.send(documents, "huge", document("huge", 1, "word ".repeat(400_000)));
            client.send(documents, "keyA", document("idB", 1, "Indexed under another key."));
            client.send(questions, "q-good", question("q-good", "What is the capital of France?"));
            client.send(documents, "oslo", document("oslo", 1, "Oslo is the capital of Norway."));

            List<ConsumerRecord<String, Answer>> answers = client.read(config.topics().answers(), Answer.class,
                    atLeast(4), WAIT);
            assertThat(answers).extracting(r -> r.value().getQuestionId() + ":" + r.value().getStatus())
                    .containsExactlyInAnyOrder("q-bad-name:INVALID", "q-missing:INVALID", "q-foreign:INVALID",
                            "q-good:OK");
            assertThat(answers).filteredOn(r -> r.key().equals("q-missing")).singleElement()
                    .satisfies(r -> assertThat(r.value().getError()).contains("does not exist"));
            assertThat(awaitIndexed(client, config, 2)).extracting(r -> r.value().getDocumentId())
                    .containsExactly("paris", "oslo");

            List<ConsumerRecord<String, DeadLetter>> dead = client.read(config.topics().deadLetters(),
                    DeadLetter.class, atLeast(5), WAIT);
            assertThat(dead).extracting(r -> r.value().getDocumentId()).containsExactlyInAnyOrder(
                    "q-bad-name", "q-missing", "q-foreign", "huge", "idB");
            DeadLetter huge = dead.stream().map(ConsumerRecord::value)
                    .filter(letter -> "huge".equals(letter.getDocumentId())).findFirst().orElseThrow();
            assertThat(huge.getErrorMessage()).startsWith("body-too-long");
            assertThat(huge.getValueSize()).isGreaterThan(2_000_000L);
            assertThat(huge.getValue().remaining()).isEqualTo(config.failures().deadLetterMaxBytes());
            assertThat(huge.getValueSha256()).hasSize(64);
            assertThat(dead).filteredOn(r -> "idB".equals(r.value().getDocumentId())).singleElement()
                    .satisfies(r -> assertThat(r.value().getErrorMessage()).startsWith("key-mismatch"));
            assertThat(app.failedRole()).isEmpty();
        }

        try (AppRuntime restarted = start(config)) {
            AppClient client = client(restarted);
            client.send(questions, "q-after", question("q-after", "What is the capital of Norway?"));
            client.send(documents, "rome", document("rome", 1, "Rome is the capital of Italy."));

            List<ConsumerRecord<String, Answer>> answers = client.read(config.topics().answers(), Answer.class,
                    atLeast(5), WAIT);
            assertThat(answers).filteredOn(r -> r.key().equals("q-after")).singleElement()
                    .satisfies(r -> assertThat(r.value().getStatus()).isEqualTo(AnswerStatus.OK));
            assertThat(answers).as("nothing answered twice").hasSize(5);
            assertThat(awaitIndexed(client, config, 3)).extracting(r -> r.value().getDocumentId())
                    .containsExactly("paris", "oslo", "rome");
            assertThat(client.read(config.topics().deadLetters(), DeadLetter.class, atLeast(5), WAIT))
                    .as("the bad records were committed past: no second dead letter").hasSize(5);
            assertThat(restarted.failedRole()).isEmpty();
        }
    }

    private static Question withReplyTo(Question question, String replyTo) {
        question.setReplyTo(replyTo);
        return question;
    }

    private static <T> Predicate<List<T>> atLeast(int count) {
        return records -> records.size() >= count;
    }

    private static List<ConsumerRecord<String, IndexUpdate>> awaitIndexed(AppClient client, AppConfig config,
                                                                         int count) {
        return client.read(config.topics().indexUpdates(), IndexUpdate.class, atLeast(count), WAIT);
    }

    private AppConfig config() {
        String prefix = KAFKA.uniqueTopic("failures");
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("kafka.data.dir", dataDir.resolve("data").toString());
        settings.put("schema.registry.embedded.port", "0");
        settings.put("store.embedded.dir", dataDir.resolve("store").toString());
        settings.put("topics.partitions", "1");
        settings.put("topics.questions", prefix + ".questions");
        settings.put("topics.answers", prefix + ".answers");
        settings.put("topics.dead.letters", prefix + ".dead-letters");
        settings.put("topics.documents", prefix + ".documents");
        settings.put("topics.index.updates", prefix + ".index-updates");
        settings.put("ingest.application.id", prefix + "-ingest");
        settings.put("qa.application.id", prefix + "-qa");
        settings.put("metrics.port", "-1");
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), settings);
    }

    private static AppRuntime start(AppConfig config) {
        AppRuntime runtime = AppRuntime.start(config, List.of(new IngestRole(), new QaRole()));
        await().atMost(Duration.ofSeconds(90)).until(runtime::allRolesRunning);
        return runtime;
    }

    private static AppClient client(AppRuntime runtime) {
        return new AppClient(runtime.kafka().clientProperties(), runtime.schemaRegistry().serdeConfig());
    }
}
