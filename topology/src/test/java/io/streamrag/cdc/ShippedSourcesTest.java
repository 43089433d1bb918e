package io.streamrag.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.app.config.AppConfig;
import io.streamrag.app.config.ConfigLoader;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.BagOfWordsEmbedder;
import io.streamrag.app.IngestRole;
import io.streamrag.ingest.IngestSerdes;
import io.streamrag.ingest.IngestTopology;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.serde.GenericAvroDeserializer;
import io.streamrag.serde.GenericAvroSerde;
import io.streamrag.serde.SpecificAvroSerde;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped example works as shipped: each connector in {@code connectors/} writes a topic that a source of
 * {@code connectors/streamrag-sources.yaml} reads, in the connector's format, with columns its table has; and the
 * MySQL source maps Debezium MySQL events. These events are written here in the shape Debezium's MySQL connector
 * documents (binlog {@code file}/{@code pos} in {@code source}, TINYINT(1) as an int, JSON as a string); they are
 * not a recording of a live MySQL server (none runs in this build).
 */
class ShippedSourcesTest {

    private static final String REGISTRY = "mock://shipped-sources-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AppConfig shippedConfig() {
        return new ConfigLoader(Map.of(), new Properties()).load(
                Optional.of(ProjectFiles.locate("connectors/streamrag-sources.yaml")), Map.of(
                        "schema.registry.url", REGISTRY));
    }

    @ParameterizedTest
    @CsvSource({"connectors/postgres-documents.json, connectors/sql/documents.sql",
            "connectors/mysql-documents.json, connectors/sql/wiki-pages.sql"})
    void eachShippedConnectorHasASourceReadingItsTopicInItsFormatWithItsTablesColumns(String connectorFile,
                                                                                     String sqlFile)
            throws IOException {
        JsonNode connector = JSON.readTree(ProjectFiles.locate(connectorFile).toFile());
        String topic = connector.path("topic.prefix").asText() + "." + connector.path("table.include.list").asText();
        String sql = Files.readString(ProjectFiles.locate(sqlFile));

        CdcSource source = shippedConfig().cdcSources().stream().filter(s -> s.topics().contains(topic))
                .findFirst().orElseThrow(() -> new AssertionError("no source reads " + topic));

        assertThat(source.format()).isEqualTo(connector.path("value.converter").asText().contains("Avro")
                ? CdcFormat.AVRO : CdcFormat.JSON);
        assertThat(connector.path("skipped.operations").asText()).as("truncates are sent").isEqualTo("none");
        assertThat(connector.path("topic.creation.default.partitions").asText())
                .as("one partition, so a truncate reaches all the source's documents").isEqualTo("1");
        assertThat(source.mapping().columns()).allSatisfy(column -> assertThat(Pattern.compile(
                "^\\s+" + column + "\\s", Pattern.MULTILINE).matcher(sql).find())
                .as("%s defines column %s", sqlFile, column).isTrue());
    }

    @Test
    void theWikiSourceMapsDebeziumMysqlEventsVersionedByTheirBinlogPosition() throws IOException {
        AppConfig config = shippedConfig();
        InMemoryVectorStore store = new InMemoryVectorStore();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "shipped-sources-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("shipped-sources").toString());
        try (BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(64);
             TopologyTestDriver driver = new TopologyTestDriver(new IngestTopology(IngestRole.settings(config,
                     embedder), serdes(), embedder, store, new SimpleMeterRegistry(), Clock.systemUTC()).build(),
                     props)) {
            TestInputTopic<byte[], byte[]> pages = driver.createInputTopic("cdc-wiki.wiki.pages",
                    new ByteArraySerializer(), new ByteArraySerializer());
            pages.pipeInput(key(1), envelope("r", null, page(1, "Handbook", "Answer pages quickly.", 0), 4, true));
            pages.pipeInput(key(2), envelope("c", null, page(2, "Releases", "Cut on Tuesdays.", 0), 900, false));
            // same updated_at second, later in the binlog: the position orders them
            pages.pipeInput(key(2), envelope("u", page(2, "Releases", "Cut on Tuesdays.", 0),
                    page(2, "Releases", "Cut on Wednesdays now.", 0), 1_400, false));
            pages.pipeInput(key(1), envelope("u", page(1, "Handbook", "Answer pages quickly.", 0),
                    page(1, "Handbook", "Answer pages quickly.", 1), 1_900, false));
            driver.advanceWallClockTime(Duration.ofSeconds(1));

            assertThat(store.chunksOf("wiki:1")).as("is_deleted = 1").isEmpty();
            assertThat(store.chunksOf("wiki:2")).singleElement().satisfies((StoredChunk chunk) -> {
                assertThat(chunk.text()).isEqualTo("Cut on Wednesdays now.");
                assertThat(chunk.tenant()).isEqualTo("engineering");
                assertThat(chunk.metadata()).containsEntry("team", "platform");
                assertThat(chunk.version()).isEqualTo((3L << 32) | 1_400);
            });
        }
    }

    private static final Schema KEY = SchemaBuilder.record("Key").namespace("cdc_wiki.wiki.pages").fields()
            .requiredLong("page_id").endRecord();
    private static final Schema VALUE = SchemaBuilder.record("Value").namespace("cdc_wiki.wiki.pages").fields()
            .requiredLong("page_id").requiredString("space").requiredString("title").requiredString("content")
            .optionalString("labels").requiredString("updated_at").requiredInt("is_deleted").endRecord();
    private static final Schema SOURCE = SchemaBuilder.record("Source").namespace("io.debezium.connector.mysql")
            .fields().requiredString("version").requiredString("connector").requiredString("name")
            .requiredLong("ts_ms").optionalString("snapshot").requiredString("db").optionalString("table")
            .requiredLong("server_id").requiredString("file").requiredLong("pos").requiredInt("row").endRecord();
    private static final Schema ENVELOPE = SchemaBuilder.record("Envelope").namespace("cdc_wiki.wiki.pages")
            .fields().name("before").type().optional().type(VALUE).name("after").type().optional().type(VALUE)
            .name("source").type(SOURCE).noDefault().requiredString("op").optionalLong("ts_ms").endRecord();

    private static GenericRecord page(long id, String title, String content, int deleted) {
        GenericRecord row = new GenericData.Record(VALUE);
        row.put("page_id", id);
        row.put("space", "engineering");
        row.put("title", title);
        row.put("content", content);
        row.put("labels", "{\"team\":\"platform\"}");
        row.put("updated_at", "2026-11-22T03:00:00.000000Z");
        row.put("is_deleted", deleted);
        return row;
    }

    private static byte[] key(long id) {
        GenericRecord key = new GenericData.Record(KEY);
        key.put("page_id", id);
        return encode(key, true);
    }

    private static byte[] envelope(String op, GenericRecord before, GenericRecord after, long pos, boolean snapshot) {
        GenericRecord source = new GenericData.Record(SOURCE);
        source.put("version", "3.6.3.Final");
        source.put("connector", "mysql");
        source.put("name", "cdc-wiki");
        source.put("ts_ms", Instant.parse("2026-11-22T03:00:00Z").toEpochMilli());
        source.put("snapshot", snapshot ? "true" : "false");
        source.put("db", "wiki");
        source.put("table", "pages");
        source.put("server_id", 1L);
        source.put("file", "mysql-bin.000003");
        source.put("pos", pos);
        source.put("row", 0);
        GenericRecord envelope = new GenericData.Record(ENVELOPE);
        envelope.put("before", before);
        envelope.put("after", after);
        envelope.put("source", source);
        envelope.put("op", op);
        envelope.put("ts_ms", Instant.parse("2026-11-22T03:00:00Z").toEpochMilli());
        return encode(envelope, false);
    }

    private static byte[] encode(GenericRecord record, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(Map.of("schema.registry.url", REGISTRY), isKey);
        return serde.serializer().serialize("cdc-wiki.wiki.pages", record);
    }

    private static IngestSerdes serdes() {
        GenericAvroDeserializer records = new GenericAvroDeserializer();
        records.configure(Map.of("schema.registry.url", REGISTRY), false);
        return new IngestSerdes(serde(DocumentChange.class), serde(IndexUpdate.class), serde(DeadLetter.class),
                records);
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", REGISTRY), false);
        return serde;
    }
}
