package io.streamrag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.ingest.chunk.Chunk;
import io.streamrag.ingest.chunk.DocumentChunker;
import io.streamrag.store.StoredChunk;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL changes captured by the real Debezium PostgreSQL connector (embedded engine, JSON converter) feed
 * the ingest topology: once as full envelopes with schemas, once flattened by ExtractNewRecordState without schemas.
 * Either way the index ends up holding exactly the table's live rows.
 */
class DebeziumPostgresFeedIT {

    private static EmbeddedPostgres postgres;
    private static final ExecutorService engines = Executors.newFixedThreadPool(2);
    private static final List<ChangeEvent<String, String>> envelopes = new CopyOnWriteArrayList<>();
    private static final List<ChangeEvent<String, String>> flattened = new CopyOnWriteArrayList<>();
    private static final AtomicReference<Throwable> engineFailure = new AtomicReference<>();
    private static DebeziumEngine<ChangeEvent<String, String>> envelopeEngine;
    private static DebeziumEngine<ChangeEvent<String, String>> flatEngine;
    private static Map<Integer, String[]> liveRows;

    @BeforeAll
    static void captureATableHistory() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        sql("""
                CREATE TABLE articles (
                  id serial PRIMARY KEY, title text, body text, tenant text, attributes jsonb, lang text,
                  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), deleted boolean NOT NULL DEFAULT false)
                """);
        envelopeEngine = start("envelopes", Map.of("converter.schemas.enable", "true"), envelopes);
        flatEngine = start("flat", Map.of(
                "converter.schemas.enable", "false",
                "transforms", "unwrap",
                "transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState",
                "transforms.unwrap.add.fields", "op,lsn,source.ts_ms",
                "transforms.unwrap.delete.tombstone.handling.mode", "rewrite-with-tombstone"), flattened);
        await().atMost(Duration.ofSeconds(60)).until(() -> activeSlots() == 2);

        String longBody = "The river rises in the hills. ".repeat(30).strip();
        sql("INSERT INTO articles (title, body, tenant, attributes, lang) VALUES "
                + "('Rivers', 'Rivers carry water to the sea.', 'acme', '{\"category\": \"geo\"}', 'en'), "
                + "('Stars', '" + longBody + "', 'acme', '{\"category\": \"astro\", \"rank\": 2}', 'en'), "
                + "('Temp', 'Soon gone.', 'acme', NULL, 'de')");
        sql("UPDATE articles SET body = '" + longBody + " " + longBody + "', updated_at = clock_timestamp() "
                + "WHERE id = 1");
        sql("UPDATE articles SET body = 'Now a short note.', updated_at = clock_timestamp() WHERE id = 2");
        sql("DELETE FROM articles WHERE id = 3");
        sql("INSERT INTO articles (title, body, tenant, lang) VALUES ('Hidden', 'Will be soft-deleted.', 'acme', 'en')");
        sql("UPDATE articles SET deleted = true, updated_at = clock_timestamp() WHERE id = 4");
        sql("INSERT INTO articles (title, body, tenant, lang) VALUES ('Last', 'The final row.', 'acme', 'en')");

        await().atMost(Duration.ofSeconds(60)).until(() -> engineFailure.get() != null
                || (mentionsRow(envelopes, "The final row.") && mentionsRow(flattened, "The final row.")));
        assertThat(engineFailure.get()).as("Debezium engine failure").isNull();
        liveRows = liveRows();
    }

    @AfterAll
    static void stop() throws Exception {
        for (DebeziumEngine<?> engine : new DebeziumEngine<?>[] {envelopeEngine, flatEngine}) {
            if (engine != null) {
                engine.close();
            }
        }
        engines.shutdown();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void envelopesWithSchemasLeaveExactlyTheLiveRowsInTheIndex() {
        try (IngestRig rig = new IngestRig()) {
            replay(envelopes, rig.cdcJson, rig);
            assertIndexHoldsExactlyTheLiveRows(rig);
            assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation)
                    .contains(Operation.CREATE, Operation.UPDATE, Operation.DELETE);
        }
    }

    @Test
    void flattenedRowsWithTombstonesLeaveExactlyTheLiveRowsInTheIndex() {
        try (IngestRig rig = new IngestRig()) {
            replay(flattened, rig.cdcFlat, rig);
            assertIndexHoldsExactlyTheLiveRows(rig);
        }
    }

    private static void replay(List<ChangeEvent<String, String>> events, TestInputTopic<byte[], byte[]> topic,
                               IngestRig rig) {
        for (ChangeEvent<String, String> event : events) {
            topic.pipeInput(bytes(event.key()), bytes(event.value()));
            rig.lingerPasses(); // every change in its own batch: nothing coalesces away
        }
        assertThat(rig.deadLetters.readValuesToList()).isEmpty();
    }

    private static void assertIndexHoldsExactlyTheLiveRows(IngestRig rig) {
        DocumentChunker chunker = new DocumentChunker(rig.embedder.tokenizer(), rig.embedder.maxTokens(),
                new io.streamrag.ingest.chunk.ChunkingSettings(24, 6));
        Map<String, List<String>> expected = new TreeMap<>();
        liveRows.forEach((id, row) -> expected.put(String.valueOf(id),
                chunker.chunk(String.valueOf(id), row[0], row[1]).stream().map(Chunk::text).toList()));
        Map<String, List<String>> actual = new TreeMap<>();
        for (StoredChunk chunk : rig.store.all()) {
            actual.computeIfAbsent(chunk.documentId(), id -> new java.util.ArrayList<>()).add(chunk.text());
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).containsOnlyKeys("1", "2", "5");
        assertThat(rig.store.chunksOf("1")).hasSizeGreaterThan(3)
                .allSatisfy(chunk -> assertThat(chunk.metadata()).containsEntry("category", "geo"));
        assertThat(rig.store.chunksOf("2")).extracting(StoredChunk::text).containsExactly("Now a short note.");
    }

    private static DebeziumEngine<ChangeEvent<String, String>> start(String name, Map<String, String> extra,
                                                                    List<ChangeEvent<String, String>> sink) {
        Properties props = new Properties();
        props.setProperty("name", name);
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        props.setProperty("offset.flush.interval.ms", "1000");
        props.setProperty("database.hostname", "localhost");
        props.setProperty("database.port", String.valueOf(postgres.getPort()));
        props.setProperty("database.user", "postgres");
        props.setProperty("database.password", "postgres");
        props.setProperty("database.dbname", "postgres");
        props.setProperty("topic.prefix", name);
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", "ingest_" + name);
        props.setProperty("publication.name", "ingest_" + name);
        props.setProperty("publication.autocreate.mode", "filtered");
        props.setProperty("table.include.list", "public.articles");
        props.setProperty("snapshot.mode", "no_data");
        props.setProperty("tombstones.on.delete", "true");
        props.setProperty("poll.interval.ms", "20");
        extra.forEach(props::setProperty);
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(props)
                .notifying((java.util.function.Consumer<ChangeEvent<String, String>>) sink::add)
                .using((success, message, error) -> {
                    if (!success) {
                        engineFailure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        engines.execute(engine);
        return engine;
    }

    private static boolean mentionsRow(List<ChangeEvent<String, String>> events, String text) {
        return events.stream().anyMatch(e -> e.value() != null && e.value().contains(text));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }

    private static int activeSlots() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE active")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<Integer, String[]> liveRows() throws SQLException {
        Map<Integer, String[]> rows = new TreeMap<>();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, title, body FROM articles WHERE NOT deleted")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return rows;
    }
}
