package io.streamrag.ingest;

import io.streamrag.app.config.AppConfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.ingest.cdc.BodyTemplate;
import io.streamrag.ingest.cdc.CdcEnvelope;
import io.streamrag.ingest.cdc.CdcFieldMapping;
import io.streamrag.ingest.cdc.CdcFormat;
import io.streamrag.ingest.cdc.CdcSource;
import io.streamrag.ingest.cdc.TruncatePolicy;
import io.streamrag.ingest.chunk.ChunkingSettings;
import io.streamrag.store.InMemoryVectorStore;
import io.streamrag.store.StoredChunk;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two configured CDC sources of tables that are not the sample one: {@code news} (composite key, body template,
 * tenant and soft-delete columns) and {@code faq} (truncates dead-lettered); every change the ingest takes is also
 * on the captured-documents topic.
 */
class CdcSourceTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEWS = "pg.news.articles";
    private static final String FAQ = "pg.public.faq";
    private static final String CAPTURED = "captured-documents";

    private static final CdcSource NEWS_SOURCE = new CdcSource("news", List.of(NEWS), null, CdcFormat.JSON,
            CdcEnvelope.FULL, new CdcFieldMapping(List.of("region", "article_id"), "headline",
            BodyTemplate.parse("{headline}\\n\\n{content}"), "owner", null, List.of("section"), null, "status",
            "archived", "news:", "/"), TruncatePolicy.DELETE);
    private static final CdcSource FAQ_SOURCE = new CdcSource("faq", List.of(FAQ), null, CdcFormat.JSON,
            CdcEnvelope.AUTO, new CdcFieldMapping(List.of("question_id"), null, BodyTemplate.column("answer"), null,
            null, List.of(), null, null, null, "faq:", null), TruncatePolicy.DEAD_LETTER);

    private final InMemoryVectorStore store = new InMemoryVectorStore();
    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(64);
    private final Serde<DocumentChange> changeSerde = TestSerdes.specific(DocumentChange.class);
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> news;
    private final TestInputTopic<byte[], byte[]> faq;
    private final TestOutputTopic<String, DocumentChange> captured;
    private final TestOutputTopic<byte[], DeadLetter> deadLetters;
    private long lsn = 1_000;

    CdcSourceTopologyTest() throws Exception {
        IngestSettings settings = AppConfig.defaults().ingest().withCdcSources(List.of(NEWS_SOURCE, FAQ_SOURCE))
                .withTopics(List.of(), "index-updates", "dead-letters").withChunking(new ChunkingSettings(64, 8))
                .withMaxBodyChars(10_000).withCollection("test").withCapturedDocumentsTopic(CAPTURED);
        IngestSerdes serdes = new IngestSerdes(changeSerde, TestSerdes.specific(IndexUpdate.class),
                TestSerdes.specific(DeadLetter.class), null);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cdc-sources-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("cdc-sources").toString());
        driver = new TopologyTestDriver(new IngestTopology(settings, serdes, embedder, store,
                new SimpleMeterRegistry(), java.time.Clock.fixed(IngestRig.NOW, ZoneOffset.UTC)).build(), props,
                IngestRig.NOW);
        news = driver.createInputTopic(NEWS, new ByteArraySerializer(), new ByteArraySerializer());
        faq = driver.createInputTopic(FAQ, new ByteArraySerializer(), new ByteArraySerializer());
        captured = driver.createOutputTopic(CAPTURED, new StringDeserializer(), changeSerde.deserializer());
        deadLetters = driver.createOutputTopic("dead-letters", new ByteArrayDeserializer(),
                TestSerdes.specific(DeadLetter.class).deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
        embedder.close();
    }

    @Test
    void aCompositeKeyTemplateTenantAndNamedMetadataColumnMakeOneDocument() {
        news.pipeInput(newsKey("eu", 7), event("c", null, article("eu", 7, "Tides", "The moon pulls the sea.",
                "draft")));
        flush();

        List<StoredChunk> chunks = store.chunksOf("news:eu/7");
        assertThat(chunks).singleElement().satisfies(chunk -> {
            // the template's first line reads as a heading: the chunker keeps it as section context, not passage text
            assertThat(chunk.text()).isEqualTo("The moon pulls the sea.");
            assertThat(chunk.title()).isEqualTo("Tides");
            assertThat(chunk.tenant()).isEqualTo("ana");
            assertThat(chunk.metadata()).containsExactly(Map.entry("section", "science"));
        });
        KeyValue<String, DocumentChange> state = captured.readKeyValue();
        assertThat(state.key).isEqualTo("news:eu/7");
        assertThat(state.value.getBody()).isEqualTo("Tides\n\nThe moon pulls the sea.");
        assertThat(state.value.getVersion()).isEqualTo(lsn);
        assertThat(captured.isEmpty()).isTrue();
    }

    @Test
    void theSoftDeleteValueDeletesOtherValuesDoNot() {
        news.pipeInput(newsKey("eu", 1), event("c", null, article("eu", 1, "A", "Kept.", "published")));
        news.pipeInput(newsKey("eu", 2), event("c", null, article("eu", 2, "B", "Archived soon.", "draft")));
        flush();
        news.pipeInput(newsKey("eu", 2), event("u", article("eu", 2, "B", "Archived soon.", "draft"),
                article("eu", 2, "B", "Archived soon.", "archived")));
        flush();

        assertThat(store.chunksOf("news:eu/1")).hasSize(1);
        assertThat(store.chunksOf("news:eu/2")).isEmpty();
        assertThat(captured.readKeyValuesToList()).extracting(kv -> kv.key + "=" + (kv.value == null ? "tombstone"
                : kv.value.getOperation())).containsExactly("news:eu/1=CREATE", "news:eu/2=CREATE",
                "news:eu/2=tombstone");
    }

    @Test
    void aColumnTheMappingNamesButTheTableLacksIsDeadLetteredNeverIndexedEmpty() {
        Map<String, Object> row = article("eu", 3, "No content", null, "draft");
        row.remove("content");
        row.put("text", "The table calls it text.");
        news.pipeInput(newsKey("eu", 3), event("c", null, row));
        flush();

        DeadLetter letter = deadLetters.readValue();
        assertThat(IngestDeadLetterTest.reasonOf(letter)).isEqualTo("wrong-schema");
        assertThat(letter.getErrorMessage()).contains("source news: the mapping names column(s) [content] that the"
                + " table's rows do not have").contains("text").contains("cdc.sources.news.*");
        assertThat(letter.getTopic()).isEqualTo(NEWS);
        assertThat(store.all()).isEmpty();
        assertThat(captured.isEmpty()).isTrue();
    }

    @Test
    void aPrimaryKeyUpdateLeavesNoChunksUnderTheOldId() {
        news.pipeInput(newsKey("eu", 4), event("c", null, article("eu", 4, "Moved", "Soon in another region.",
                "draft")));
        flush();
        // UPDATE news.articles SET region = 'us': Debezium emits a delete of the old key (key columns only without
        // REPLICA IDENTITY FULL), its tombstone, then a create under the new key
        news.pipeInput(newsKey("eu", 4), event("d", Map.of("region", "eu", "article_id", 4), null));
        news.pipeInput(newsKey("eu", 4), (byte[]) null);
        news.pipeInput(newsKey("us", 4), event("c", null, article("us", 4, "Moved", "Soon in another region.",
                "draft")));
        flush();

        assertThat(store.chunksOf("news:eu/4")).isEmpty();
        assertThat(store.all()).extracting(StoredChunk::documentId).containsOnly("news:us/4");
        assertThat(captured.readKeyValuesToList()).extracting(kv -> kv.key + "=" + (kv.value == null ? "tombstone"
                : kv.value.getOperation())).containsExactly("news:eu/4=CREATE", "news:eu/4=tombstone",
                "news:us/4=CREATE");
    }

    @Test
    void aTruncateRemovesEveryDocumentOfItsSourceAndNoOther() {
        news.pipeInput(newsKey("eu", 5), event("c", null, article("eu", 5, "One", "First row.", "draft")));
        news.pipeInput(newsKey("us", 6), event("c", null, article("us", 6, "Two", "Second row.", "draft")));
        faq.pipeInput(json(Map.of("question_id", 1)), event("c", null, Map.of("question_id", 1, "answer",
                "Faq rows stay.")));
        flush();
        captured.readKeyValuesToList();

        news.pipeInput((byte[]) null, event("t", null, null));
        flush();

        assertThat(store.all()).extracting(StoredChunk::documentId).containsOnly("faq:1");
        assertThat(captured.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value)
                .containsExactlyInAnyOrder("news:eu/5=null", "news:us/6=null");

        news.pipeInput(newsKey("eu", 5), event("c", null, article("eu", 5, "One", "Back after the truncate.",
                "draft")));
        flush();
        assertThat(store.chunksOf("news:eu/5")).singleElement()
                .satisfies(chunk -> assertThat(chunk.text()).endsWith("Back after the truncate."));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aSourceWhoseTruncatePolicyIsDeadLetterKeepsItsDocumentsAndSaysWhy() {
        faq.pipeInput(json(Map.of("question_id", 2)), event("c", null, Map.of("question_id", 2, "answer",
                "Still here.")));
        flush();

        faq.pipeInput((byte[]) null, event("t", null, null));
        flush();

        assertThat(store.chunksOf("faq:2")).hasSize(1);
        DeadLetter letter = deadLetters.readValue();
        assertThat(IngestDeadLetterTest.reasonOf(letter)).isEqualTo("unsupported-operation");
        assertThat(letter.getErrorMessage()).contains("source faq: TRUNCATE of the table")
                .contains("truncate policy is dead-letter");
    }

    @Test
    void aLateOrRepeatedChangeIsNotCapturedAgainSoReindexCannotResurrectADeletedRow() {
        byte[] created = event("c", null, article("eu", 8, "Late", "Written first.", "draft"));
        news.pipeInput(newsKey("eu", 8), created);
        byte[] deleted = event("d", Map.of("region", "eu", "article_id", 8), null);
        news.pipeInput(newsKey("eu", 8), deleted);
        // a redelivery of both, as after a connector restart from older offsets
        news.pipeInput(newsKey("eu", 8), created);
        news.pipeInput(newsKey("eu", 8), deleted);
        flush();

        assertThat(store.chunksOf("news:eu/8")).isEmpty();
        assertThat(captured.readKeyValuesToList()).extracting(kv -> kv.key + "=" + (kv.value == null ? "tombstone"
                : kv.value.getOperation())).containsExactly("news:eu/8=CREATE", "news:eu/8=tombstone");
    }

    @Test
    void aSourceStatedAsFullEnvelopesDeadLettersAFlattenedRow() {
        Map<String, Object> row = article("eu", 9, "Flat", "A flattened row.", "draft");
        news.pipeInput(newsKey("eu", 9), json(row));
        flush();

        DeadLetter letter = deadLetters.readValue();
        assertThat(IngestDeadLetterTest.reasonOf(letter)).isEqualTo("wrong-schema");
        assertThat(letter.getErrorMessage()).contains("source news is configured with envelope=full");
        assertThat(store.all()).isEmpty();
    }

    private void flush() {
        driver.advanceWallClockTime(AppConfig.defaults().ingest().batching().linger());
    }

    private static Map<String, Object> article(String region, int id, String headline, String content,
                                               String status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("region", region);
        row.put("article_id", id);
        row.put("headline", headline);
        row.put("content", content);
        row.put("owner", "ana");
        row.put("section", "science");
        row.put("status", status);
        return row;
    }

    private static byte[] newsKey(String region, int id) {
        return json(Map.of("region", region, "article_id", id));
    }

    private byte[] event(String op, Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> event = new HashMap<>();
        event.put("op", op);
        event.put("before", before);
        event.put("after", after);
        event.put("source", Map.of("connector", "postgresql", "lsn", ++lsn, "ts_ms", DebeziumEvents.TS_MS,
                "snapshot", "false", "db", "shop", "table", "articles"));
        event.put("ts_ms", DebeziumEvents.TS_MS);
        return json(event);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
