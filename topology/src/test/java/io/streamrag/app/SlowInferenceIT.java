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
import java.util.concurrent.CopyOnWriteArrayList;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.inference.embed.ForwardingTextEmbedder;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.app.IngestRole;
import io.streamrag.ingest.IngestSerdes;
import io.streamrag.ingest.IngestTopology;
import io.streamrag.contracts.Question;
import io.streamrag.qa.QaSerdes;
import io.streamrag.qa.QaTopology;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow inference never fences a transaction: with an embedder that takes 15 s per call (longer than Kafka Streams'
 * exactly-once default transaction timeout of 10 s, which the application used to run with), one ingest batch and
 * one QA batch each complete in their first transaction. (Run with {@code -Dslow.it.kafka.transaction.timeout.ms=10000}
 * to see the old behaviour fail it.) Aborted work would show twice to a read_uncommitted reader
 * (the aborted attempt and the redo), as extra embedder calls, and in the redo counters; none of it happens.
 */
class SlowInferenceIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    static final Duration PER_CALL = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    @Test
    void batchesLongerThanStreamsDefaultTransactionTimeoutCommitOnceWithoutRedo() {
        AppConfig config = config();
        SlowEmbedder ingestEmbedder = new SlowEmbedder(new BagOfWordsEmbedder(128), PER_CALL);
        // QA on its own empty store: the answer is NO_CONTEXT after exactly one (question) embedding
        SlowEmbedder qaEmbedder = new SlowEmbedder(new BagOfWordsEmbedder(128), PER_CALL);
        Map<String, MeterRegistry> meters = new java.util.concurrent.ConcurrentHashMap<>();

        AppRuntime app = AppRuntime.start(config, List.of(
                new SlowIngest(ingestEmbedder, new InMemoryVectorStore(), meters),
                new SlowQa(qaEmbedder, new InMemoryVectorStore(), meters)));
        try {
            await().atMost(Duration.ofSeconds(60)).until(app::allRolesRunning);
            AppClient client = new AppClient(app.kafka().clientProperties(), app.schemaRegistry().serdeConfig());
            for (String id : List.of("a", "b", "c")) {
                client.send(config.topics().documents(), id, document(id, 1, "Document " + id + " has text."));
            }
            client.send(config.topics().questions(), "q", question("q", "Which document has text?"));

            Duration wait = Duration.ofSeconds(90);
            List<?> updates = client.read(config.topics().indexUpdates(), IndexUpdate.class,
                    records -> records.size() >= 3, wait, "read_uncommitted");
            List<?> answers = client.read(config.topics().answers(), Answer.class,
                    records -> !records.isEmpty(), wait, "read_uncommitted");

            assertThat(updates).as("each document applied once, no aborted attempt before").hasSize(3);
            assertThat(answers).as("the question answered once").hasSize(1);
            assertThat(ingestEmbedder.calls()).as("one ingest batch, embedded once").containsExactly(3);
            assertThat(qaEmbedder.calls()).as("one QA batch, embedded once").containsExactly(1);
            assertThat(meters.get("ingest").counter("streamrag.redone.records", "role", "ingest").count()).isZero();
            assertThat(meters.get("qa").counter("streamrag.redone.records", "role", "qa").count()).isZero();
            assertThat(app.failedRole()).isEmpty();
        } finally {
            app.close();
        }
    }

    private AppConfig config() {
        String prefix = KAFKA.uniqueTopic("slow");
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("kafka.data.dir", dataDir.toString());
        settings.put("schema.registry.embedded.port", "0");
        settings.put("topics.partitions", "1");
        settings.put("topics.questions", prefix + ".questions");
        settings.put("topics.answers", prefix + ".answers");
        settings.put("topics.dead.letters", prefix + ".dead-letters");
        settings.put("topics.documents", prefix + ".documents");
        settings.put("topics.index.updates", prefix + ".index-updates");
        settings.put("ingest.application.id", prefix + "-ingest");
        settings.put("qa.application.id", prefix + "-qa");
        // the third document fills the batch and the question fills its own: each batch is then computed while
        // the record that filled it has already opened the transaction (its buffer write), the case that fenced
        settings.put("ingest.batch.max.size", "3");
        settings.put("ingest.batch.max.wait.ms", "20000");
        settings.put("qa.embed.batch.size", "1");
        settings.put("metrics.port", "-1");
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("slow.it."))
                .forEach(key -> settings.put(key.substring("slow.it.".length()), System.getProperty(key)));
        return new ConfigLoader(Map.of(), new Properties()).load(Optional.empty(), settings);
    }

    /** Delegates after a fixed pause per call, and records each call's size. */
    static final class SlowEmbedder extends ForwardingTextEmbedder {
        private final Duration pause;
        private final List<Integer> calls = new CopyOnWriteArrayList<>();

        SlowEmbedder(TextEmbedder inner, Duration pause) {
            super(inner);
            this.pause = pause;
        }

        List<Integer> calls() {
            return List.copyOf(calls);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(texts.size());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return super.embed(texts);
        }

        @Override
        public void close() {
        }
    }

    private record SlowIngest(TextEmbedder embedder, InMemoryVectorStore store, Map<String, MeterRegistry> meters)
            implements RoleTopology {
        @Override
        public Role role() {
            return Role.INGEST;
        }

        @Override
        public Topology build(RoleContext context) {
            meters.put("ingest", context.meterRegistry());
            GenericAvroDeserializer cdc = new GenericAvroDeserializer();
            cdc.configure(context.serdeConfig(), false);
            IngestSerdes serdes = new IngestSerdes(context.valueSerde(DocumentChange.class),
                    context.valueSerde(IndexUpdate.class), context.deadLetterSerde(), cdc);
            return new IngestTopology(IngestRole.settings(context.config(), embedder), serdes, embedder, store,
                    context.meterRegistry(), java.time.Clock.systemUTC()).build();
        }
    }

    private record SlowQa(TextEmbedder embedder, InMemoryVectorStore store, Map<String, MeterRegistry> meters)
            implements RoleTopology {
        @Override
        public Role role() {
            return Role.QA;
        }

        @Override
        public Topology build(RoleContext context) {
            meters.put("qa", context.meterRegistry());
            QaSerdes serdes = new QaSerdes(context.valueSerde(Question.class), context.valueSerde(Answer.class),
                    context.deadLetterSerde());
            return new QaTopology(context.config().qa(), serdes, embedder, store, null,
                    context.meterRegistry()).build();
        }
    }
}
