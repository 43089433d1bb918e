package io.streamrag.qa;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.Question;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.kafka.TransactionalRecords;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.VectorStore;
import io.streamrag.store.qdrant.QdrantVectorStore;
import io.streamrag.store.qdrant.SharedQdrant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two QA instances (separate Streams runtimes, state directories and Qdrant clients, one JVM) on six partitions of
 * the real broker, sharing one Qdrant (the gRPC double in {@link ScaleOutQaIT}, a real server in
 * {@link ScaleOutQaQdrantIT}: the same scenario), while a client asks 1,000 questions; one instance dies with
 * questions buffered in its batch. Every question must still get exactly one committed answer.
 *
 * <p>The death: the instance's embedder throws an {@link Error} (as an out-of-memory would) in the middle of a
 * batch; the stream thread dies, the client shuts down without committing the open transaction, and it is closed
 * without leaving the group, so its partitions move only after {@code session.timeout.ms} (6 s here), as after a
 * kill -9. Extractive answers and the bag-of-words embedder keep it quick: the point is Streams semantics.
 */
abstract class ScaleOutQaScenario {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutQaScenario.class);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final String REGISTRY = "mock://scale-out-qa-it";
    private static final int PARTITIONS = 6;
    private static final int QUESTIONS = 1_000;
    private static final int PASSAGES = 40;
    /** The broker's minimum: a dead member holds its partitions this long. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    @TempDir
    Path temp;

    /** The Qdrant all instances share; closed after the scenario. */
    protected abstract SharedQdrant openQdrant();

    @Test
    void aQaInstanceDyingWithQuestionsBufferedLeavesExactlyOneCommittedAnswerPerQuestion() throws Exception {
        String prefix = KAFKA.uniqueTopic("scale-qa") + "-";
        QaSettings settings = AppConfig.defaults().qa().withTopics(prefix + "questions", prefix + "answers", prefix + "dead-letters")
                .withRetrieval(3, 10, -1.0) // every question finds passages: each answer is OK
                .withBatching(32, Duration.ofMillis(200)) // questions wait in the buffer when the instance dies
                .withDefaultDeadline(Duration.ofMinutes(2));
        QaInstances instances = new QaInstances(KAFKA.bootstrapServers(), REGISTRY, settings, SESSION_TIMEOUT);
        instances.createTopics(PARTITIONS);
        BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(128);
        CrashingEmbedder doomedEmbedder = new CrashingEmbedder(embedder);
        List<KafkaStreams> running = new ArrayList<>();
        List<VectorStore> clients = new ArrayList<>();
        try (SharedQdrant qdrant = openQdrant()) {
            String collection = prefix.replace('-', '_') + "passages";
            VectorStore loader = client(qdrant, collection, clients);
            loader.ensureCollection(embedder.dimension());
            for (int i = 0; i < PASSAGES; i++) {
                String text = "Passage " + i + " tells about topic " + i + " and the river number " + i + ".";
                // Qdrant point ids are UUIDs
                String chunkId = UUID.nameUUIDFromBytes(("doc-" + i + "#0").getBytes(StandardCharsets.UTF_8))
                        .toString();
                loader.replaceDocument("doc-" + i, List.of(new StoredChunk(chunkId, "doc-" + i, 0, 1,
                        "Title " + i, text, null, Map.of(), embedder.embed(List.of(text)).get(0))));
            }
            loader.flush();

            KafkaStreams doomed = instances.start("qa-a", temp.resolve("state-a"), doomedEmbedder,
                    client(qdrant, collection, clients));
            running.add(doomed);
            running.add(instances.start("qa-b", temp.resolve("state-b"), embedder, client(qdrant, collection,
                    clients)));
            for (KafkaStreams streams : running) {
                QaInstances.awaitState(streams, KafkaStreams.State.RUNNING, Duration.ofSeconds(60));
            }

            Map<String, Integer> answers = new HashMap<>();
            List<String> errors = new ArrayList<>();
            long longestGapAfterKill = 0;
            try (KafkaProducer<String, Question> producer = instances.questionProducer();
                 KafkaConsumer<String, Answer> reader = instances.committedAnswers()) {
                ask(producer, settings, 0, QUESTIONS / 2);
                awaitAnswers(reader, answers, errors, QUESTIONS / 4);
                // (c) the instance dies flushing its next batch: those questions and the ones behind them are
                // buffered or in flight in it, uncommitted
                doomedEmbedder.crashOnNextCall();
                ask(producer, settings, QUESTIONS / 2, QUESTIONS);
                QaInstances.awaitState(doomed, KafkaStreams.State.ERROR, Duration.ofSeconds(60));
                long killedAt = System.nanoTime();
                QaInstances.abandon(doomed);
                running.remove(doomed);

                long lastAnswer = killedAt;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (answers.size() < QUESTIONS) {
                    assertThat(System.nanoTime()).as("answers for all questions; %d of %d", answers.size(),
                            QUESTIONS).isLessThan(deadline);
                    if (pollAnswers(reader, answers, errors) > 0) {
                        long now = System.nanoTime();
                        longestGapAfterKill = Math.max(longestGapAfterKill, now - lastAnswer);
                        lastAnswer = now;
                    }
                }
                // a while more, so a duplicate committed late would still show
                for (int i = 0; i < 10; i++) {
                    pollAnswers(reader, answers, errors);
                }
            }
            assertThat(doomedEmbedder.crashes()).isEqualTo(1);
            assertThat(errors).as("answers that are not OK").isEmpty();
            assertThat(answers).hasSize(QUESTIONS).allSatisfy((id, count) ->
                    assertThat(count).as("committed answers to %s", id).isEqualTo(1));

            TransactionalRecords written = TransactionalRecords.count(KAFKA.bootstrapServers(),
                    settings.answersTopic());
            assertThat(written.committed()).isEqualTo(QUESTIONS);
            log.info("Rework on {}: {} answers committed, {} written in aborted transactions and recomputed; longest"
                    + " gap between answers after the death: {} ms", qdrant.describe(), written.committed(),
                    written.aborted(), TimeUnit.NANOSECONDS.toMillis(longestGapAfterKill));
        } finally {
            running.forEach(QaInstances::stop);
            for (VectorStore client : clients) {
                client.close();
            }
        }
    }

    private static VectorStore client(SharedQdrant qdrant, String collection, List<VectorStore> clients) {
        VectorStore store = QdrantVectorStore.connect(qdrant.config(collection));
        clients.add(store);
        return store;
    }

    private static void ask(KafkaProducer<String, Question> producer, QaSettings settings, int from, int to) {
        for (int i = from; i < to; i++) {
            String id = "q-" + i;
            Question question = Question.newBuilder().setQuestionId(id)
                    .setText("What does passage " + (i % PASSAGES) + " tell about the river?")
                    .setRequestedAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(settings.questionsTopic(), id, question));
        }
        producer.flush();
    }

    private static void awaitAnswers(KafkaConsumer<String, Answer> reader, Map<String, Integer> answers,
                                     List<String> errors, int atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answers.size() < atLeast) {
            assertThat(System.nanoTime()).as("%d answers, have %d", atLeast, answers.size()).isLessThan(deadline);
            pollAnswers(reader, answers, errors);
        }
    }

    private static int pollAnswers(KafkaConsumer<String, Answer> reader, Map<String, Integer> answers,
                                   List<String> errors) {
        int polled = 0;
        for (ConsumerRecord<String, Answer> record : reader.poll(Duration.ofMillis(50))) {
            polled++;
            answers.merge(record.value().getQuestionId(), 1, Integer::sum);
            if (record.value().getStatus() != AnswerStatus.OK) {
                errors.add(record.value().getQuestionId() + ": " + record.value().getStatus() + " "
                        + record.value().getError());
            }
        }
        return polled;
    }
}
