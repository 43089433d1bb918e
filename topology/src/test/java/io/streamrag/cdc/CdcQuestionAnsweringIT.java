package io.streamrag.cdc;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.cdc.DocumentsTable.Commit;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.inference.embed.EmbedderOptions;
import io.streamrag.inference.embed.Embedders;
import io.streamrag.inference.embed.TextEmbedder;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.qa.QaPipeline;
import io.streamrag.store.StoredChunk;
import io.streamrag.store.lucene.LuceneVectorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real CDC end to end: rows written to a real PostgreSQL reach the answers. Debezium (in Kafka Connect) writes the
 * changes to {@code cdc.public.documents} on a real broker, the ingest topology embeds them with the default
 * embedder (bundled MiniLM) into a Lucene store, and the QA topology (extractive: no generator) answers questions
 * from that store.
 */
class CdcQuestionAnsweringIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final String REGISTRY = "mock://cdc-e2e";
    private static final int TOP_K = 10;
    private static final List<String> SAMPLE_IDS =
            List.of("doc-kafka-streams", "doc-debezium", "doc-rag", "doc-qdrant");

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path workDir;

    private static PostgresCdc cdc;
    private static DocumentsTable documents;
    private static TextEmbedder embedder;
    private static LuceneVectorStore store;
    private static IngestPipeline ingest;
    private static QaPipeline qa;
    private static AvroTopicLog<IndexUpdate> indexUpdates;
    private static ChangeEventLog changes;
    private static final AtomicInteger questionIds = new AtomicInteger();

    @BeforeAll
    static void startTheStack() throws Exception {
        cdc = PostgresCdc.start(KAFKA.bootstrapServers(), workDir.resolve("cdc"));
        documents = new DocumentsTable(cdc.database());
        embedder = Embedders.open(Embedders.DEFAULT, EmbedderOptions.defaults());
        store = LuceneVectorStore.open(workDir.resolve("lucene"));
        ingest = new IngestPipeline(KAFKA.bootstrapServers(), REGISTRY, embedder, store, workDir.resolve("ingest"));
        qa = new QaPipeline(KAFKA.bootstrapServers(), REGISTRY, "cdc-e2e-",
                AppConfig.defaults().qa().withTopics("cdc-e2e-questions", "cdc-e2e-answers", "cdc-e2e-qa-dead-letters")
                        // no score threshold: every live document is a candidate, so a deleted one would show
                        .withRetrieval(TOP_K, 50, -1.0),
                embedder, store, null, new SimpleMeterRegistry(), workDir.resolve("qa"), 1);
        indexUpdates = new AvroTopicLog<>(KAFKA.bootstrapServers(), REGISTRY, IngestPipeline.INDEX_UPDATES,
                IndexUpdate.class);
        changes = new ChangeEventLog(KAFKA.bootstrapServers(), PostgresCdc.TOPIC);
        // the connector's snapshot of the sample rows, indexed
        indexUpdates.awaitUntil(updates -> SAMPLE_IDS.stream().allMatch(id -> updates.stream()
                .anyMatch(u -> u.getDocumentId().equals(id))), ARRIVAL, "the sample rows indexed");
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        // every part closes even when one fails, so no PostgreSQL or Connect worker outlives the class
        Exception failure = null;
        AutoCloseable closeEmbedder = embedder == null ? null : embedder::close;
        for (AutoCloseable part : new AutoCloseable[] {qa, ingest, indexUpdates, changes, cdc, store, closeEmbedder}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void answersFollowTheTableThroughInsertsUpdatesAndDeletes() throws Exception {
        Commit etna = documents.insert("doc-etna", "Mount Etna",
                "Mount Etna is an active stratovolcano on the east coast of Sicily. It is the tallest active volcano "
                        + "in Europe outside the Caucasus.", "acme", "{\"source\": \"atlas\"}");
        Commit nile = documents.insert("doc-nile", "Nile",
                "The Nile is a major river in northeastern Africa. It flows north into the Mediterranean Sea.",
                "acme", "{}");
        Commit bees = documents.insert("doc-bees", "Honey bees",
                "Honey bees tell each other where flowers are with a waggle dance. A colony has a single queen.",
                "globex", "{}");
        awaitIndexed("doc-etna", etna);
        awaitIndexed("doc-nile", nile);
        awaitIndexed("doc-bees", bees);

        String volcano = "Which volcano is on the east coast of Sicily?";
        Answer before = ask(volcano, "acme");
        assertThat(before.getDocuments()).first().extracting(RetrievedDocument::getDocumentId).isEqualTo("doc-etna");
        assertThat(passagesOf(before, "doc-etna")).anyMatch(p -> p.contains("tallest active volcano in Europe"));

        Commit etnaUpdate = documents.updateBody("doc-etna", "Mount Etna is an active stratovolcano on the east "
                + "coast of Sicily, above the city of Catania. Its summit craters erupted again in 2021.");
        awaitIndexed("doc-etna", etnaUpdate);
        Answer after = ask(volcano, "acme");
        assertThat(after.getDocuments()).first().extracting(RetrievedDocument::getDocumentId).isEqualTo("doc-etna");
        assertThat(passagesOf(after, "doc-etna"))
                .anyMatch(p -> p.contains("above the city of Catania"))
                .noneMatch(p -> p.contains("tallest active volcano in Europe"));

        Commit nileDelete = documents.delete("doc-nile");
        Commit beesSoftDelete = documents.softDelete("doc-bees");
        awaitIndexed("doc-nile", nileDelete);
        awaitIndexed("doc-bees", beesSoftDelete);
        List<String> questions = List.of("Which river flows into the Mediterranean Sea?",
                "How do honey bees tell each other where flowers are?", volcano,
                "What is Kafka Streams?", "Which river is the longest in Africa?");
        for (String tenant : List.of("acme", "globex")) {
            for (String question : questions) {
                Answer answer = ask(question, tenant);
                assertThat(answer.getDocuments()).as(question + " for " + tenant).isNotEmpty()
                        .extracting(RetrievedDocument::getDocumentId)
                        .doesNotContain("doc-nile", "doc-bees");
            }
        }
        assertThat(store.chunksOf("doc-nile")).isEmpty();
        assertThat(store.chunksOf("doc-bees")).isEmpty();
        assertNoDeadLetters();
    }

    @Test
    void freshnessFromCommitToSearchable() throws Exception {
        int rows = 10;
        FreshnessReport report = new FreshnessReport();
        for (int i = 0; i < rows; i++) {
            String id = "fresh-" + i;
            report.add(measure("insert", id, documents.insert(id, "Probe " + i, probeBody(id, 0), "acme", "{}"),
                    probeBody(id, 0)));
        }
        for (int revision = 1; revision <= 2; revision++) {
            for (int i = 0; i < rows; i++) {
                String id = "fresh-" + i;
                report.add(measure("update", id, documents.updateBody(id, probeBody(id, revision)),
                        probeBody(id, revision)));
            }
        }
        for (int i = 0; i < rows; i++) {
            String id = "fresh-" + i;
            report.add(measure("delete", id, documents.delete(id), null));
        }

        System.out.println(report.table("poll.interval.ms=20, ingest linger 10 ms, Streams commit.interval.ms=50, "
                + "one change at a time"));
        assertThat(report.size()).isEqualTo(4 * rows);
        assertThat(ingest.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertNoDeadLetters();
    }

    /**
     * Follows one committed change until it is on the change topic, searchable in the store (its text there, or for
     * a delete, no chunks left) and announced by an {@code IndexUpdate}; the times are from the COMMIT's return.
     */
    private static FreshnessReport.Sample measure(String kind, String id, Commit commit, String expectedText) {
        long deadline = commit.committedAtNanos() + ARRIVAL.toNanos();
        long event = -1;
        long searchable = -1;
        long indexed = -1;
        double reported = Double.NaN;
        while (event < 0 || searchable < 0 || indexed < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(kind + " of " + id + " (" + commit + ") not through within " + ARRIVAL
                        + ": event " + (event >= 0) + ", searchable " + (searchable >= 0) + ", IndexUpdate "
                        + (indexed >= 0));
            }
            if (event < 0) {
                changes.readAvailable(Duration.ofMillis(1));
                if (changes.of(id).stream().anyMatch(r -> !r.isTombstone() && inCommit(r.lsn(), commit))) {
                    event = System.nanoTime();
                }
            }
            if (searchable < 0 && isSearchable(id, expectedText)) {
                searchable = System.nanoTime();
            }
            if (indexed < 0) {
                indexUpdates.poll(Duration.ofMillis(1));
                Optional<IndexUpdate> update = indexUpdates.values().stream()
                        .filter(u -> u.getDocumentId().equals(id) && inCommit(u.getVersion(), commit)).findFirst();
                if (update.isPresent()) {
                    indexed = System.nanoTime();
                    reported = Duration.between(update.get().getSourceTime(), update.get().getAppliedTime())
                            .toNanos() / 1e6;
                }
            }
        }
        return new FreshnessReport.Sample(kind, millisSince(commit, event), millisSince(commit, searchable),
                millisSince(commit, indexed), reported);
    }

    private static double millisSince(Commit commit, long nanos) {
        return (nanos - commit.committedAtNanos()) / 1e6;
    }

    private static boolean isSearchable(String id, String expectedText) {
        List<StoredChunk> chunks = store.chunksOf(id);
        return expectedText == null ? chunks.isEmpty()
                : chunks.stream().anyMatch(chunk -> chunk.text().contains(expectedText));
    }

    private static String probeBody(String id, int revision) {
        return "Freshness probe " + id + " at revision " + revision + " of its body.";
    }

    private static void awaitIndexed(String id, Commit commit) {
        indexUpdates.awaitUntil(updates -> updates.stream().anyMatch(u -> u.getDocumentId().equals(id)
                && inCommit(u.getVersion(), commit)), ARRIVAL, "IndexUpdate of " + id + " for " + commit);
    }

    /** The ingest versions CDC changes by their LSN: the change belongs to the commit whose WAL range holds it. */
    private static boolean inCommit(long lsn, Commit commit) {
        return lsn >= commit.walBefore() && lsn <= commit.walAfter();
    }

    /** Asks within {@code tenant}: retrieval only ever sees that tenant's documents. */
    private static Answer ask(String text, String tenant) {
        String id = "q-" + questionIds.incrementAndGet();
        qa.ask(Question.newBuilder().setQuestionId(id).setText(text).setTopK(TOP_K).setTenant(tenant)
                .setRequestedAt(Instant.now()).build());
        qa.flush();
        Map<String, Answer> answers = qa.await(Set.of(id), ARRIVAL, null);
        assertThat(answers).as("answer to " + text).containsKey(id);
        Answer answer = answers.get(id);
        assertThat(answer.getStatus()).as("status of the answer to " + text + ": " + answer.getError())
                .isEqualTo(AnswerStatus.OK);
        return answer;
    }

    private static List<String> passagesOf(Answer answer, String documentId) {
        return answer.getDocuments().stream().filter(d -> d.getDocumentId().equals(documentId))
                .map(RetrievedDocument::getPassage).toList();
    }

    private static void assertNoDeadLetters() {
        try (AvroTopicLog<DeadLetter> deadLetters = new AvroTopicLog<>(KAFKA.bootstrapServers(), REGISTRY,
                IngestPipeline.DEAD_LETTERS, DeadLetter.class)) {
            deadLetters.poll(Duration.ofMillis(500));
            assertThat(deadLetters.values()).as("ingest dead letters").isEmpty();
        }
    }
}
