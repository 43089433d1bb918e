package io.streamrag.cli;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.qa.QaPipeline;
import io.streamrag.qa.QaSettings;
import io.streamrag.qa.testing.BagOfWordsEmbedder;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.StoredChunk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The ask, answers and load commands against a real broker and a running QA topology in this JVM (so the mock://
 * registry scope is shared; across processes the app must serve a registry endpoint).
 */
class CliIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://cli-it";

    @TempDir
    static Path scratch;

    private static QaPipeline pipeline;
    private static final BagOfWordsEmbedder EMBEDDER = new BagOfWordsEmbedder(256);

    @BeforeAll
    static void startQa() throws Exception {
        InMemoryVectorStore store = new InMemoryVectorStore();
        store.replaceDocument("norway", List.of(new StoredChunk("norway#0", "norway", 0, 1, "Norway",
                "Oslo is the capital of Norway. Norway has fjords.", null, Map.of(),
                EMBEDDER.vectorOf("Norway Oslo is the capital of Norway. Norway has fjords."))));
        store.replaceDocument("france", List.of(new StoredChunk("france#0", "france", 0, 1, "France",
                "Paris is the capital of France.", null, Map.of(),
                EMBEDDER.vectorOf("France Paris is the capital of France."))));
        QaSettings defaults = AppConfig.defaults().qa().withTopics("cli-questions", "cli-answers", "cli-dead-letters");
        // a top-k bound of 50, which the INVALID-question case below names in its expected reason
        QaSettings settings = defaults.withRetrieval(defaults.defaultTopK(), 50, defaults.scoreThreshold());
        pipeline = new QaPipeline(KAFKA.bootstrapServers(), REGISTRY, "cli-", settings, EMBEDDER, store, null,
                new SimpleMeterRegistry(), scratch.resolve("state"), 1);
    }

    @AfterAll
    static void stopQa() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<String> connection(String... more) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", KAFKA.bootstrapServers(),
                "--schema-registry-url", REGISTRY));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void askPrintsTheAnswerWithItsSources() {
        List<String> args = connection("--questions-topic", "cli-questions", "--answers-topic", "cli-answers",
                "--top-k", "2", "--timeout", "60s", "What is the capital of Norway?");
        Run run = run(new AskCommand(), args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("[OK]").contains("Answer: Oslo is the capital of Norway.")
                .contains("1. Norway (norway#0)  score ").contains("p(d|x) ").contains("p(d|x,y) 1.0000");
    }

    @Test
    void askJsonPrintsTheAnswerAsOneJsonObject() throws Exception {
        List<String> args = connection("--questions-topic", "cli-questions", "--answers-topic", "cli-answers",
                "--json", "--timeout", "60s", "capital", "of", "France");
        Run run = run(new AskCommand(), args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("status").asText()).isEqualTo("OK");
        assertThat(json.get("text").asText()).isEqualTo("Paris is the capital of France.");
        assertThat(json.get("documents").get(0).get("documentId").asText()).isEqualTo("france");
        assertThat(json.get("documents").get(0).get("score").isNumber()).isTrue();
        assertThat(json.get("models").get("mode").asText()).isEqualTo("extractive");
    }

    @Test
    void askReportsAnInvalidQuestionWithExitCodeOne() {
        List<String> args = connection("--questions-topic", "cli-questions", "--answers-topic", "cli-answers",
                "--top-k", "500", "--timeout", "60s", "capital of France");
        Run run = run(new AskCommand(), args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("[INVALID]").contains("Reason: top-k 500 is outside [1, 50]");
    }

    @Test
    void answersFollowsTheTopic() throws Exception {
        List<String> args = connection("--answers-topic", "cli-answers", "--json", "--max-answers", "1");
        CompletableFuture<Run> follower = CompletableFuture.supplyAsync(
                () -> run(new AnswersCommand(), args.toArray(String[]::new)));
        // the follower starts at the end of the topic: keep asking until it has seen one answer
        List<String> ask = connection("--questions-topic", "cli-questions", "--answers-topic", "cli-answers",
                "--timeout", "30s", "Which country has fjords?");
        Run answered = null;
        for (int attempt = 0; attempt < 10 && !follower.isDone(); attempt++) {
            answered = run(new AskCommand(), ask.toArray(String[]::new));
            assertThat(answered.exitCode()).as(answered.err()).isZero();
        }
        Run run = follower.get(60, TimeUnit.SECONDS);
        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out().lines().findFirst().orElseThrow());
        assertThat(json.get("status").asText()).isEqualTo("OK");
        assertThat(json.get("documents").get(0).get("documentId").asText()).isEqualTo("norway");
    }

    @Test
    void loadPublishesEveryFileAsADocumentChange() throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("docs"));
        Files.writeString(folder.resolve("a.md"), "# Alpha\nFirst document.");
        Files.writeString(folder.resolve("b.txt"), "Second document.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("cli-documents", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        Run run = run(new LoadCommand(), connection("--documents-topic", "cli-documents", "--tenant", "acme",
                "--no-progress", folder.toString()).toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("published 2 of 2 documents to cli-documents");
        SpecificAvroSerde<DocumentChange> serde = new SpecificAvroSerde<>(DocumentChange.class);
        serde.configure(Map.of("schema.registry.url", REGISTRY), false);
        try (KafkaConsumer<String, DocumentChange> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringDeserializer(),
                serde.deserializer())) {
            TopicPartition partition = new TopicPartition("cli-documents", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<DocumentChange> changes = new ArrayList<>();
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (changes.size() < 2 && System.nanoTime() < giveUp) {
                for (ConsumerRecord<String, DocumentChange> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo(record.value().getDocumentId());
                    changes.add(record.value());
                }
            }
            assertThat(changes).extracting(DocumentChange::getDocumentId).containsExactly("a.md", "b.txt");
            assertThat(changes).extracting(DocumentChange::getTitle).containsExactly("Alpha", "b");
            assertThat(changes).allMatch(change -> "acme".equals(change.getTenant()));
        }
    }

    @Test
    void loadPrintsTheConsistencyTokenAndWaitWaitsForTheIndexUpdatesOfIt() throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("wait-docs"));
        Files.writeString(folder.resolve("c.md"), "Third document.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("cli-wait-documents", 1, (short) 1),
                    new NewTopic("cli-wait-updates", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // nothing applies it: --wait gives up naming the document
        Run unapplied = run(new LoadCommand(), connection("--documents-topic", "cli-wait-documents", "--no-progress",
                "--wait", "--wait-timeout", "1s", "--index-updates-topic", "cli-wait-updates", folder.toString())
                .toArray(String[]::new));
        assertThat(unapplied.exitCode()).isEqualTo(1);
        assertThat(unapplied.out()).containsPattern("consistency token: c\\.md@\\d+");
        assertThat(unapplied.err()).containsPattern("not searchable after PT1S: 1 of 1 documents, e\\.g\\. "
                + "c\\.md@\\d+ \\(applied: none\\)");

        // a stand-in ingest reports every change it reads as applied
        SpecificAvroSerde<DocumentChange> changes = new SpecificAvroSerde<>(DocumentChange.class);
        changes.configure(Map.of("schema.registry.url", REGISTRY), false);
        SpecificAvroSerde<io.streamrag.contracts.IndexUpdate> updates =
                new SpecificAvroSerde<>(io.streamrag.contracts.IndexUpdate.class);
        updates.configure(Map.of("schema.registry.url", REGISTRY), false);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread ingest = new Thread(() -> {
            try (KafkaConsumer<String, DocumentChange> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                    new StringDeserializer(), changes.deserializer());
                 var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                    Map.<String, Object>of("bootstrap.servers", KAFKA.bootstrapServers()),
                    new org.apache.kafka.common.serialization.StringSerializer(), updates.serializer())) {
                TopicPartition partition = new TopicPartition("cli-wait-documents", 0);
                consumer.assign(List.of(partition));
                consumer.seekToEnd(List.of(partition));
                consumer.position(partition);
                while (!stop.get()) {
                    for (ConsumerRecord<String, DocumentChange> record : consumer.poll(Duration.ofMillis(100))) {
                        DocumentChange change = record.value();
                        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("cli-wait-updates",
                                change.getDocumentId(), io.streamrag.contracts.IndexUpdate.newBuilder()
                                .setDocumentId(change.getDocumentId()).setVersion(change.getVersion())
                                .setOperation(change.getOperation()).setChunkCount(1)
                                .setSourceTime(change.getEventTime()).setAppliedTime(java.time.Instant.now())
                                .build()));
                        producer.flush();
                    }
                }
            }
        }, "stand-in-ingest");
        ingest.start();
        TimeUnit.MILLISECONDS.sleep(500); // positioned at the end before the load
        try {
            Run applied = run(new LoadCommand(), connection("--documents-topic", "cli-wait-documents",
                    "--no-progress", "--wait", "--wait-timeout", "30s", "--index-updates-topic", "cli-wait-updates",
                    folder.toString()).toArray(String[]::new));
            assertThat(applied.exitCode()).as(applied.err()).isZero();
            assertThat(applied.out()).containsPattern("consistency token: c\\.md@\\d+")
                    .contains("searchable: all 1 documents");
        } finally {
            stop.set(true);
            ingest.join(10_000);
        }
    }
}
