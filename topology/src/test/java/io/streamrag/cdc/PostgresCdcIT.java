package io.streamrag.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.cdc.ChangeEventLog.ChangeRecord;
import io.streamrag.cdc.DocumentsTable.Commit;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDC harness for real: rows written to PostgreSQL arrive on {@code cdc.public.documents} as Debezium change
 * events, written by Kafka Connect with the shipped connector config.
 */
class PostgresCdcIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path workDir;

    private static PostgresCdc cdc;
    private static DocumentsTable documents;
    private static ChangeEventLog topic;

    @BeforeAll
    static void startCapture() throws Exception {
        cdc = PostgresCdc.start(KAFKA.bootstrapServers(), workDir);
        documents = new DocumentsTable(cdc.database());
        topic = new ChangeEventLog(KAFKA.bootstrapServers(), PostgresCdc.TOPIC);
    }

    @AfterAll
    static void stopCapture() throws Exception {
        if (topic != null) {
            topic.close();
        }
        if (cdc != null) {
            cdc.close();
        }
    }

    @Test
    void theSampleRowsArriveAsSnapshotReads() {
        List<String> sampleIds = List.of("doc-kafka-streams", "doc-debezium", "doc-rag", "doc-qdrant");
        topic.awaitUntil(records -> sampleIds.stream().allMatch(id -> !topic.of(id).isEmpty()), ARRIVAL,
                "snapshot of " + sampleIds);

        for (String id : sampleIds) {
            ChangeRecord read = topic.of(id).get(0);
            assertThat(read.op()).as(id).isEqualTo("r");
            assertThat(read.before().isNull()).as("before of a snapshot read").isTrue();
            assertThat(read.after().path("id").asText()).isEqualTo(id);
            assertThat(read.payload().path("source").path("snapshot").asText()).isIn("first", "true", "last");
        }
        ChangeRecord rag = topic.of("doc-rag").get(0);
        assertThat(rag.after().path("title").asText()).isEqualTo("Retrieval-augmented generation");
        assertThat(rag.after().path("tenant").asText()).isEqualTo("globex");
    }

    @Test
    void anInsertArrivesAsACreateWithTheRowAndItsPlaceInTheLog() throws Exception {
        Commit commit = documents.insert("it-insert", "Tides", "The moon pulls the oceans.", "acme",
                "{\"source\": \"it\", \"rank\": 3}");

        ChangeRecord create = awaitEvents("it-insert", 1).get(0);

        assertThat(create.key().path("payload").path("id").asText()).isEqualTo("it-insert");
        assertThat(create.key().path("schema").path("name").asText()).isEqualTo("cdc.public.documents.Key");
        assertThat(create.value().path("schema").path("name").asText()).isEqualTo("cdc.public.documents.Envelope");
        assertThat(create.op()).isEqualTo("c");
        assertThat(create.before().isNull()).isTrue();
        JsonNode after = create.after();
        assertThat(after.path("title").asText()).isEqualTo("Tides");
        assertThat(after.path("body").asText()).isEqualTo("The moon pulls the oceans.");
        assertThat(after.path("tenant").asText()).isEqualTo("acme");
        assertThat(after.path("deleted").asBoolean(true)).isFalse();
        assertThat(after.path("updated_at").asText()).isNotBlank();
        // jsonb arrives as its text (Debezium's io.debezium.data.Json), PostgreSQL's normal form of it
        assertThat(JSON.readTree(after.path("metadata").asText()))
                .isEqualTo(JSON.readTree("{\"source\": \"it\", \"rank\": 3}"));
        assertSourceIs(create, commit);
    }

    @Test
    void anUpdateArrivesWithTheWholeRowBeforeAndAfter() throws Exception {
        documents.insert("it-update", "Glaciers", "Ice flows downhill.", "globex", "{}");
        Commit update = documents.updateBody("it-update", "Ice flows downhill, slowly.");

        List<ChangeRecord> events = awaitEvents("it-update", 2);

        ChangeRecord change = events.get(1);
        assertThat(change.op()).isEqualTo("u");
        // REPLICA IDENTITY FULL (documents.sql): the old row comes whole, not just its key
        assertThat(change.before().path("body").asText()).isEqualTo("Ice flows downhill.");
        assertThat(change.before().path("tenant").asText()).isEqualTo("globex");
        assertThat(change.after().path("body").asText()).isEqualTo("Ice flows downhill, slowly.");
        assertThat(change.after().path("title").asText()).isEqualTo("Glaciers");
        assertSourceIs(change, update);
        assertThat(change.lsn()).isGreaterThan(events.get(0).lsn());
    }

    @Test
    void aDeleteArrivesAsADeleteThenATombstone() throws Exception {
        documents.insert("it-delete", "Comets", "Ice and dust.", "acme", "{}");
        Commit delete = documents.delete("it-delete");

        List<ChangeRecord> events = awaitEvents("it-delete", 3);

        ChangeRecord removal = events.get(1);
        assertThat(removal.op()).isEqualTo("d");
        assertThat(removal.after().isNull()).isTrue();
        assertThat(removal.before().path("title").asText()).isEqualTo("Comets");
        assertThat(removal.before().path("tenant").asText()).isEqualTo("acme");
        assertSourceIs(removal, delete);

        ChangeRecord tombstone = events.get(2);
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.key()).isEqualTo(removal.key());
        assertThat(tombstone.offset()).isEqualTo(removal.offset() + 1);
    }

    @Test
    void aRestartedWorkerResumesFromItsCommittedOffsetsWithoutASecondSnapshot() throws Exception {
        documents.insert("it-before-restart", "Before", "Written while Connect runs.", "acme", "{}");
        awaitEvents("it-before-restart", 1);

        cdc.stopConnect();
        Commit whileDown = documents.insert("it-while-down", "Meanwhile", "Written while Connect is down.",
                "acme", "{}");
        cdc.startConnect();
        documents.insert("it-after-restart", "After", "Written after the restart.", "acme", "{}");

        List<ChangeRecord> all = topic.awaitUntil(records -> !topic.of("it-after-restart").isEmpty(), ARRIVAL,
                "the row written after the restart");
        assertThat(topic.of("it-while-down")).singleElement().satisfies(create -> {
            assertThat(create.op()).isEqualTo("c");
            assertSourceIs(create, whileDown);
        });
        assertThat(topic.of("it-before-restart")).as("not sent again").hasSize(1);
        assertThat(all.stream().filter(r -> "r".equals(r.op())).map(ChangeRecord::id))
                .as("snapshot reads: once per sample row, never again")
                .containsExactlyInAnyOrder("doc-kafka-streams", "doc-debezium", "doc-rag", "doc-qdrant");
        assertThat(all.stream().filter(r -> !r.isTombstone())
                .collect(Collectors.groupingBy(r -> r.id() + "@" + r.lsn() + "/" + r.op(), Collectors.counting())))
                .as("no change event twice")
                .allSatisfy((change, count) -> assertThat(count).as(change).isEqualTo(1L));
    }

    private static List<ChangeRecord> awaitEvents(String id, int count) {
        topic.awaitUntil(records -> topic.of(id).size() >= count, ARRIVAL, count + " records for " + id);
        return topic.of(id);
    }

    private static void assertSourceIs(ChangeRecord event, Commit commit) {
        JsonNode source = event.payload().path("source");
        assertThat(source.path("connector").asText()).isEqualTo("postgresql");
        assertThat(source.path("db").asText()).isEqualTo(DocumentsDatabase.DATABASE);
        assertThat(source.path("schema").asText()).isEqualTo("public");
        assertThat(source.path("table").asText()).isEqualTo("documents");
        assertThat(source.path("snapshot").asText()).isEqualTo("false");
        assertThat(source.path("txId").asLong()).as("transaction id").isEqualTo(commit.txId());
        assertThat(event.lsn()).as("LSN within the WAL written by %s", commit)
                .isBetween(commit.walBefore(), commit.walAfter());
    }
}
