package io.streamrag.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.app.AppTopics;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.app.IngestRole;
import io.streamrag.ingest.IngestSerdes;
import io.streamrag.ingest.IngestSettings;
import io.streamrag.ingest.IngestTopology;
import io.streamrag.kafka.EmbeddedKafkaExtension;
import io.streamrag.kafka.TopicAdmin;
import io.streamrag.reindex.ReindexResult;
import io.streamrag.reindex.Reindexer;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.SearchHit;
import io.streamrag.store.SearchRequest;
import io.streamrag.store.StoredChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own tables, configured as CDC sources and nothing else: {@code news.articles} (other column names, a
 * composite primary key, a body of two columns, a tenant column, a soft-delete status) captured twice by the real
 * Debezium PostgreSQL connector in a real Kafka Connect worker, once with the JSON converter (keys with schemas,
 * values without) and once as Avro in the registry wire format, and {@code public.faq} in a second source; ids are
 * kept apart by prefixes. Inserts, updates, soft and hard deletes, a primary-key update and a truncate reach the
 * index exactly as the tables end up, compared row by row; then reindex rebuilds every CDC document under a new model
 * from the captured-documents topic alone, with the database and Connect stopped. One PostgreSQL for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomTablesCdcIT {

    private static final String REGISTRY = "mock://custom-tables-cdc-it";
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final String SCHEMA = """
            CREATE SCHEMA news;
            CREATE TABLE news.articles (
              region text NOT NULL, article_id int NOT NULL, headline text, content text, owner text,
              section text, status text NOT NULL DEFAULT 'draft', PRIMARY KEY (region, article_id));
            CREATE TABLE public.faq (question_id int PRIMARY KEY, question text, answer text);
            """;
    /** The sources as a user writes them (see connectors/streamrag-sources.yaml). */
    private static final String SOURCES = """
            cdc:
              sources:
                - name: news
                  topics: [shop.news.articles]
                  format: json
                  id.columns: [region, article_id]
                  id.separator: "/"
                  id.prefix: "news:"
                  title.column: headline
                  body.template: "{headline}\\n\\n{content}"
                  tenant.column: owner
                  metadata.columns: [section]
                  soft.delete.column: status
                  soft.delete.value: archived
                - name: newsavro
                  topics: [shopavro.news.articles]
                  format: avro
                  id.columns: [region, article_id]
                  id.separator: "/"
                  id.prefix: "newsavro:"
                  title.column: headline
                  body.template: "{headline}\\n\\n{content}"
                  tenant.column: owner
                  metadata.columns: [section]
                  soft.delete.column: status
                  soft.delete.value: archived
                - name: faq
                  topics: [shop.public.faq]
                  id.columns: question_id
                  id.prefix: "faq:"
                  body.template: "Q: {question}\\nA: {answer}"
            """;

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @TempDir
    static Path workDir;

    private static DocumentsDatabase database;
    private static ConnectWorker connect;
    private static AppConfig config;
    private static BagOfWordsEmbedder embedder;
    private static KafkaStreams ingest;
    private static final InMemoryVectorStore store = new InMemoryVectorStore();

    @BeforeAll
    static void captureTwoTablesIntoTheIngest() throws Exception {
        database = DocumentsDatabase.start(workDir.resolve("postgres"));
        database.execute(SCHEMA);
        Path sources = Files.writeString(workDir.resolve("sources.yaml"), SOURCES);
        config = new ConfigLoader(Map.of(), new Properties()).load(Optional.of(sources), Map.of(
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(),
                "schema.registry.url", REGISTRY,
                "topics.partitions", "1",
                "topics.replication.factor", "1"));
        try (Admin admin = KAFKA.admin()) {
            new TopicAdmin(admin, Duration.ofSeconds(30))
                    .ensureTopics(AppTopics.specs(config.topics(), config.cdcSources()));
        }

        connect = ConnectWorker.start(KAFKA.bootstrapServers(), workDir.resolve("connect.offsets"));
        connect.putConnector("shop-json", connector("shop", "shop_json", "news.articles,public.faq",
                JsonConverter.class.getName()));
        connect.putConnector("shop-avro", connector("shopavro", "shop_avro", "news.articles",
                RegistryAvroConverter.class.getName()));
        connect.awaitRunning("shop-json", ARRIVAL);
        connect.awaitRunning("shop-avro", ARRIVAL);
        await().atMost(ARRIVAL).until(() -> database.slotActive("shop_json") && database.slotActive("shop_avro"));

        embedder = new BagOfWordsEmbedder(64);
        ingest = startIngest();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ingest != null) {
            closeIngest();
        }
        if (connect != null) {
            connect.close();
        }
        if (database != null) {
            database.close();
        }
        if (embedder != null) {
            embedder.close();
        }
    }

    @Test
    @Order(1)
    void insertsUpdatesSoftAndHardDeletesAndAPrimaryKeyUpdateReachTheIndexAsTheTableEndsUp() throws Exception {
        database.execute("""
                INSERT INTO news.articles (region, article_id, headline, content, owner, section) VALUES
                  ('eu', 1, 'Tides', 'The moon pulls the oceans twice a day.', 'ana', 'science'),
                  ('eu', 2, 'Budget', 'The council passed the budget.', 'ben', 'politics'),
                  ('us', 1, 'Storms', 'A storm crossed the coast.', 'ana', 'weather'),
                  ('us', 2, 'Markets', 'Shares rose on Monday.', 'cem', 'business');
                INSERT INTO public.faq VALUES (1, 'What is CDC?', 'Change data capture.'),
                  (2, 'What is RAG?', 'Retrieval-augmented generation.');
                """);
        database.execute("UPDATE news.articles SET content = 'The moon and the sun pull the oceans.' "
                + "WHERE region = 'eu' AND article_id = 1");
        database.execute("UPDATE news.articles SET status = 'archived' WHERE region = 'eu' AND article_id = 2");
        database.execute("UPDATE news.articles SET status = 'published' WHERE region = 'us' AND article_id = 2");
        database.execute("DELETE FROM news.articles WHERE region = 'us' AND article_id = 1");
        // a primary-key update: Debezium emits a delete of the old key, its tombstone, and a create of the new one
        database.execute("UPDATE news.articles SET region = 'apac' WHERE region = 'eu' AND article_id = 1");
        database.execute("UPDATE public.faq SET answer = 'Change data capture: a database log as events.' "
                + "WHERE question_id = 1");

        awaitIndexMatchesTables();
        assertThat(indexed("news:")).containsOnlyKeys("news:apac/1", "news:us/2");
        assertThat(indexed("newsavro:")).containsOnlyKeys("newsavro:apac/1", "newsavro:us/2");
    }

    @Test
    @Order(2)
    void aTruncateEmptiesTheSourcesDocumentsAndRowsWrittenAfterItComeBack() throws Exception {
        database.execute("TRUNCATE news.articles");
        database.execute("""
                INSERT INTO news.articles (region, article_id, headline, content, owner, section) VALUES
                  ('eu', 5, 'Bridges', 'The new bridge opened.', 'ben', 'city'),
                  ('us', 2, 'Markets again', 'Shares fell on Tuesday.', 'cem', 'business');
                """);

        awaitIndexMatchesTables();
        assertThat(indexed("news:")).containsOnlyKeys("news:eu/5", "news:us/2");
        assertThat(indexed("faq:")).as("another source's documents stay").hasSize(2);
        try (AvroTopicLog<DeadLetter> deadLetters = new AvroTopicLog<>(KAFKA.bootstrapServers(), REGISTRY,
                config.topics().deadLetters(), DeadLetter.class)) {
            deadLetters.poll(Duration.ofMillis(500));
            assertThat(deadLetters.values()).as("dead letters of the whole history").isEmpty();
        }
    }

    @Test
    @Order(3)
    void reindexRebuildsEveryCdcDocumentUnderANewModelFromTheCapturedTopicAlone() throws Exception {
        Map<String, Doc> tables = new TreeMap<>();
        tables.putAll(expectedNews("news:"));
        tables.putAll(expectedNews("newsavro:"));
        tables.putAll(expectedFaq());
        // nothing of the database is used from here on
        closeIngest();
        ingest = null;
        connect.close();
        connect = null;
        database.close();
        database = null;

        InMemoryVectorStore rebuilt = new InMemoryVectorStore();
        ReindexResult result;
        try (WidenedEmbedder newModel = new WidenedEmbedder(new BagOfWordsEmbedder(64), 3)) {
            SpecificAvroSerde<DocumentChange> changes = new SpecificAvroSerde<>(DocumentChange.class);
            changes.configure(Map.of("schema.registry.url", REGISTRY), false);
            result = new Reindexer(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), changes.deserializer(),
                    List.of(config.topics().documents(), config.topics().capturedDocuments()), newModel, rebuilt,
                    "reindexed", config.ingest().chunking(), config.ingest().maxBodyChars(), 16).run(progress -> { });
            assertThat(documents(rebuilt, "")).isEqualTo(tables);
            assertThat(rebuilt.all()).allSatisfy(chunk -> assertThat(chunk.vector()).hasSize(newModel.dimension()));

            Doc bridges = tables.get("news:eu/5");
            List<SearchHit> hits = rebuilt.search(List.of(new SearchRequest(
                    newModel.embed(List.of("When did the new bridge open?")).get(0), 1, bridges.tenant(),
                    Map.of(), -1))).get(0);
            assertThat(hits).extracting(hit -> hit.chunk().text()).containsExactly(bridges.body());
        }
        assertThat(result.documents()).isEqualTo(tables.size());
    }

    private static void awaitIndexMatchesTables() {
        await().atMost(ARRIVAL).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(indexed("news:")).as("JSON source").isEqualTo(expectedNews("news:"));
            assertThat(indexed("newsavro:")).as("Avro source").isEqualTo(expectedNews("newsavro:"));
            assertThat(indexed("faq:")).as("faq source").isEqualTo(expectedFaq());
        });
        assertThat(ingest.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /** What a document of a table row looks like in the index. */
    record Doc(String title, String body, String tenant, Map<String, String> metadata) {
    }

    private static Map<String, Doc> expectedNews(String prefix) throws Exception {
        Map<String, Doc> docs = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT region, article_id, headline, content, owner, section "
                     + "FROM news.articles WHERE status <> 'archived'")) {
            while (rs.next()) {
                // the body template is "{headline}\n\n{content}"; its one-line first paragraph reads as a heading,
                // which the chunker keeps as section context in the embedding text, not as passage text
                docs.put(prefix + rs.getString(1) + "/" + rs.getInt(2), new Doc(rs.getString(3),
                        rs.getString(4), rs.getString(5),
                        Map.of("section", rs.getString(6))));
            }
        }
        return docs;
    }

    private static Map<String, Doc> expectedFaq() throws Exception {
        Map<String, Doc> docs = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT question_id, question, answer FROM public.faq")) {
            while (rs.next()) {
                docs.put("faq:" + rs.getInt(1), new Doc(null, "Q: " + rs.getString(2) + "\nA: " + rs.getString(3),
                        null, Map.of()));
            }
        }
        return docs;
    }

    private static Map<String, Doc> indexed(String prefix) {
        return documents(store, prefix);
    }

    /** The stored documents under {@code prefix}; each of these short bodies is one chunk. */
    private static Map<String, Doc> documents(InMemoryVectorStore in, String prefix) {
        Map<String, List<StoredChunk>> byDocument = in.all().stream()
                .filter(chunk -> chunk.documentId().startsWith(prefix))
                .collect(Collectors.groupingBy(StoredChunk::documentId, TreeMap::new, Collectors.toList()));
        Map<String, Doc> docs = new TreeMap<>();
        byDocument.forEach((id, chunks) -> {
            assertThat(chunks).as("chunks of %s", id).hasSize(1);
            StoredChunk chunk = chunks.get(0);
            docs.put(id, new Doc(chunk.title(), chunk.text(), chunk.tenant(), chunk.metadata()));
        });
        return docs;
    }

    private static Map<String, String> connector(String prefix, String slot, String tables, String converter)
            throws Exception {
        Map<String, String> config = DocumentsConnectorConfig.shipped();
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", String.valueOf(database.port()));
        config.put("database.password", DocumentsDatabase.PASSWORD);
        config.put("topic.prefix", prefix);
        config.put("table.include.list", tables);
        config.put("slot.name", slot);
        config.put("publication.name", slot);
        config.keySet().removeIf(key -> key.endsWith(".schema.registry.url"));
        config.put("key.converter", converter);
        config.put("value.converter", converter);
        if (converter.equals(JsonConverter.class.getName())) {
            // both JSON shapes at once: keys with their schema, values as bare payloads
            config.put("key.converter.schemas.enable", "true");
            config.put("value.converter.schemas.enable", "false");
        } else {
            config.put("key.converter.schema.registry.url", REGISTRY);
            config.put("value.converter.schema.registry.url", REGISTRY);
        }
        config.put("poll.interval.ms", "20");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    private static KafkaStreams startIngest() throws InterruptedException {
        IngestSettings settings = IngestRole.settings(config, embedder);
        IngestSerdes serdes = new IngestSerdes(serde(DocumentChange.class), serde(IndexUpdate.class),
                serde(DeadLetter.class), avroRecords());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.ingest().applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("streams").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        props.put(StreamsConfig.POLL_MS_CONFIG, 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        KafkaStreams streams = new KafkaStreams(new IngestTopology(settings, serdes, embedder, store,
                new SimpleMeterRegistry(), Clock.systemUTC()).build(), props);
        streams.start();
        await().atMost(ARRIVAL).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    private static void closeIngest() {
        ingest.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }

    private static GenericAvroDeserializer avroRecords() {
        GenericAvroDeserializer deserializer = new GenericAvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", REGISTRY), false);
        return deserializer;
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", REGISTRY), false);
        return serde;
    }
}
