package io.streamrag.ingest;

import static io.streamrag.ingest.DebeziumEvents.envelope;
import static io.streamrag.ingest.DebeziumEvents.flattened;
import static io.streamrag.ingest.DebeziumEvents.key;
import static io.streamrag.ingest.DebeziumEvents.keyOnly;
import static io.streamrag.ingest.DebeziumEvents.row;
import static io.streamrag.ingest.DebeziumEvents.withSchema;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.store.StoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every supported input shape ends up as the same document in the vector store. */
class IngestMappingTest {

    private final IngestRig rig = new IngestRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void anAvroDocumentChangeIsChunkedEmbeddedAndStoredWithItsAttributes() {
        String body = Documents.sentences("rivers", 12);
        rig.changes.pipeInput("doc-1", Documents.upsert("doc-1", 1, "Rivers", body));
        rig.lingerPasses();

        List<StoredChunk> chunks = rig.store.chunksOf("doc-1");
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.title()).isEqualTo("Rivers");
            assertThat(chunk.tenant()).isEqualTo("acme");
            assertThat(chunk.metadata()).containsEntry("lang", "en");
            assertThat(chunk.version()).isEqualTo(1);
            assertThat(body).contains(chunk.text());
            assertThat(chunk.vector()).hasSize(BagOfWordsEmbedder.DIMENSION);
        });
        IndexUpdate update = rig.updates.readValue();
        assertThat(update.getDocumentId()).isEqualTo("doc-1");
        assertThat(update.getOperation()).isEqualTo(Operation.CREATE);
        assertThat(update.getChunkCount()).isEqualTo(chunks.size());
        assertThat(update.getSourceTime()).isEqualTo(IngestRig.NOW.minusMillis(250));
        assertThat(update.getAppliedTime()).isEqualTo(IngestRig.NOW);
        assertThat(update.getCollection()).isEqualTo("chunks-test");
    }

    @Test
    void aDebeziumJsonCreateWithSchemasIsReadThroughTheFieldMapping() {
        byte[] value = withSchema(envelope("c", null, row(7, "Tides", "The moon pulls the sea. Tides follow."), 5000),
                "pg.public.articles.Envelope");
        rig.cdcJson.pipeInput(DebeziumEvents.keyWithSchema(7), value);
        rig.lingerPasses();

        StoredChunk chunk = rig.store.chunksOf("7").get(0);
        assertThat(chunk.title()).isEqualTo("Tides");
        assertThat(chunk.text()).isEqualTo("The moon pulls the sea. Tides follow.");
        assertThat(chunk.tenant()).isEqualTo("acme");
        assertThat(chunk.metadata()).containsOnly(Map.entry("category", "news"), Map.entry("rank", "3"),
                Map.entry("tags", "[\"a\",\"b\"]"), Map.entry("lang", "en"));
        IndexUpdate update = rig.updates.readValue();
        assertThat(update.getVersion()).as("the LSN is the version").isEqualTo(5000);
        assertThat(update.getSourceTime().toEpochMilli()).isEqualTo(DebeziumEvents.TS_MS);
    }

    @Test
    void bareDebeziumJsonUpdatesAndDeletesTheDocument() {
        rig.cdcJson.pipeInput(key(8), envelope("c", null, row(8, "Old", "First words."), 100));
        rig.lingerPasses();
        rig.cdcJson.pipeInput(key(8), envelope("u", null, row(8, "New", "Second words."), 200));
        rig.lingerPasses();
        assertThat(rig.store.chunksOf("8")).extracting(StoredChunk::text).containsExactly("Second words.");

        rig.cdcJson.pipeInput(key(8), envelope("d", keyOnly(8), null, 300));
        rig.lingerPasses();
        assertThat(rig.store.chunksOf("8")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation, IndexUpdate::getVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operation.CREATE, 100L),
                        org.assertj.core.groups.Tuple.tuple(Operation.UPDATE, 200L),
                        org.assertj.core.groups.Tuple.tuple(Operation.DELETE, 300L));
    }

    @Test
    void snapshotReadsAreIndexedLikeCreates() {
        rig.cdcJson.pipeInput(key(9), envelope("r", null, row(9, "Snap", "Read during the snapshot."), 50));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("9")).hasSize(1);
        assertThat(rig.updates.readValue().getOperation()).isEqualTo(Operation.SNAPSHOT);
    }

    @Test
    void flattenedRowsWithAddedFieldsAreUpsertedAndRewrittenDeletesRemoveThem() {
        rig.cdcFlat.pipeInput(key(11), flattened(row(11, "Flat", "A flattened row."), "c", 700));
        rig.lingerPasses();
        assertThat(rig.store.chunksOf("11")).extracting(StoredChunk::text).containsExactly("A flattened row.");

        rig.cdcFlat.pipeInput(key(11), flattened(row(11, "Flat", "A flattened row."), "d", 800));
        rig.lingerPasses();
        assertThat(rig.store.chunksOf("11")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion).containsExactly(700L, 800L);
    }

    @Test
    void flattenedRowsWithoutAnLsnAreVersionedByTheUpdatedAtColumn() {
        Map<String, Object> older = row(12, "T", "Older text.");
        Map<String, Object> newer = row(12, "T", "Newer text.");
        newer.put("updated_at", (Long) older.get("updated_at") + 10);
        rig.cdcFlat.pipeInput(key(12), DebeziumEvents.json(newer));
        rig.cdcFlat.pipeInput(key(12), DebeziumEvents.json(older));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("12")).extracting(StoredChunk::text).containsExactly("Newer text.");
        assertThat(rig.counter("streamrag.ingest.changes.stale")).isEqualTo(1);
    }

    @Test
    void mysqlEventsAreVersionedByTheirBinlogPositionSoSameSecondUpdatesBothApply() {
        rig.cdcJson.pipeInput(key(16), mysqlEvent("c", row(16, "T", "Inserted."), "mysql-bin.000003", 4_000));
        rig.lingerPasses();
        rig.cdcJson.pipeInput(key(16), mysqlEvent("u", row(16, "T", "Edited in the same second."),
                "mysql-bin.000003", 4_500));
        rig.cdcJson.pipeInput(key(16), mysqlEvent("u", row(16, "T", "Replayed old edit."), "mysql-bin.000002", 9_000));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("16")).extracting(StoredChunk::text)
                .containsExactly("Edited in the same second.");
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion)
                .containsExactly((3L << 32) | 4_000, (3L << 32) | 4_500);
        assertThat(rig.counter("streamrag.ingest.changes.stale")).isEqualTo(1);
    }

    private static byte[] mysqlEvent(String op, Map<String, Object> after, String file, long pos) {
        Map<String, Object> source = new java.util.LinkedHashMap<>();
        source.put("connector", "mysql");
        source.put("name", "cdc-wiki");
        source.put("ts_ms", 1_700_000_000_000L); // second precision: equal for both updates
        source.put("db", "wiki");
        source.put("table", "pages");
        source.put("file", file);
        source.put("pos", pos);
        source.put("row", 0);
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("before", null);
        event.put("after", after);
        event.put("source", source);
        event.put("op", op);
        event.put("ts_ms", 1_700_000_000_000L);
        return DebeziumEvents.json(event);
    }

    @Test
    void aTombstoneDeletesTheDocumentNamedByItsStructKey() {
        rig.cdcJson.pipeInput(key(13), envelope("c", null, row(13, "Gone", "Soon deleted."), 100));
        rig.lingerPasses();

        rig.cdcJson.pipeInput(DebeziumEvents.keyWithSchema(13), (byte[]) null);
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("13")).isEmpty();
        List<IndexUpdate> updates = rig.updates.readValuesToList();
        assertThat(updates).extracting(IndexUpdate::getOperation).containsExactly(Operation.CREATE,
                Operation.DELETE);
        assertThat(updates.get(1).getVersion()).as("a tombstone deletes at the latest known version")
                .isEqualTo(100);
    }

    @Test
    void theTombstoneAfterADeleteEventChangesNothingMore() {
        rig.cdcJson.pipeInput(key(14), envelope("c", null, row(14, "T", "Text."), 100));
        rig.cdcJson.pipeInput(key(14), envelope("d", keyOnly(14), null, 200));
        rig.cdcJson.pipeInput(key(14), (byte[]) null);
        rig.lingerPasses();

        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation, IndexUpdate::getVersion)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Operation.DELETE, 200L));
        assertThat(rig.store.count()).isZero();
    }

    @Test
    void aSoftDeletedRowIsRemoved() {
        rig.cdcJson.pipeInput(key(15), envelope("c", null, row(15, "T", "Visible."), 100));
        rig.lingerPasses();
        Map<String, Object> hidden = row(15, "T", "Visible.");
        hidden.put("deleted", true);
        rig.cdcJson.pipeInput(key(15), envelope("u", null, hidden, 200));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("15")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getOperation)
                .containsExactly(Operation.CREATE, Operation.DELETE);
    }

    @Test
    void aDebeziumAvroEnvelopeIsReadAsAGenericRecord() {
        rig.cdcAvro.pipeInput(DebeziumAvroEvents.key(21),
                DebeziumAvroEvents.envelope("c", null, row(21, "Avro", "Binary rows are documents too."), 900));
        rig.lingerPasses();
        StoredChunk chunk = rig.store.chunksOf("21").get(0);
        assertThat(chunk.text()).isEqualTo("Binary rows are documents too.");
        assertThat(chunk.metadata()).containsEntry("category", "news").containsEntry("lang", "en");

        rig.cdcAvro.pipeInput(DebeziumAvroEvents.key(21),
                DebeziumAvroEvents.envelope("d", row(21, "Avro", null), null, 950));
        rig.cdcAvro.pipeInput(DebeziumAvroEvents.key(21), (byte[]) null);
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("21")).isEmpty();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getVersion).containsExactly(900L, 950L);
    }

    @Test
    void aTruncateRemovesTheDocumentsOfItsSourceOnly() {
        rig.cdcJson.pipeInput(key(31), DebeziumEvents.envelope("c", null, row(31, "T", "Truncated soon."), 800));
        rig.cdcFlat.pipeInput(key(32), DebeziumEvents.flattened(row(32, "F", "Another source."), "c", 801));
        rig.lingerPasses();
        Map<String, Object> truncate = Map.of("op", "t", "source", Map.of("lsn", 900, "ts_ms", 1),
                "ts_ms", 1);
        java.util.HashMap<String, Object> event = new java.util.HashMap<>(truncate);
        event.put("before", null);
        event.put("after", null);
        rig.cdcJson.pipeInput((byte[]) null, DebeziumEvents.json(event));
        rig.lingerPasses();

        assertThat(rig.store.chunksOf("31")).isEmpty();
        assertThat(rig.store.chunksOf("32")).isNotEmpty();
        assertThat(rig.deadLetters.isEmpty()).isTrue();
        assertThat(rig.updates.readValuesToList()).extracting(u -> u.getDocumentId() + "/" + u.getOperation())
                .containsExactly("31/CREATE", "32/CREATE", "31/DELETE");
    }
}
