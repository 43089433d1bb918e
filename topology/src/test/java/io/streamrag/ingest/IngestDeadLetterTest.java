package io.streamrag.ingest;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
import io.streamrag.store.StoredChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that cannot become documents go to the dead-letter topic with their coordinates; the stream goes on. */
class IngestDeadLetterTest {

    private final IngestRig rig = new IngestRig();

    @AfterEach
    void close() {
        rig.close();
    }

    /** The reason code a dead letter's message starts with. */
    static String reasonOf(DeadLetter letter) {
        return letter.getErrorMessage().substring(0, letter.getErrorMessage().indexOf(':'));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Test
    void aChangeWithoutADocumentIdIsDeadLetteredAndTheNextChangeIsIndexed() {
        rig.changes.pipeInput("a", upsert("a", 1, "A", "First."));
        byte[] anonymous = rig.changeSerde.serializer().serialize(IngestRig.CHANGES, upsert(" ", 1, "X", "Nobody."));
        rig.rawChanges.pipeInput("k".getBytes(StandardCharsets.UTF_8), anonymous);
        rig.changes.pipeInput("b", upsert("b", 1, "B", "Second."));
        rig.lingerPasses();

        var record = rig.deadLetters.readRecord();
        assertThat(record.key()).as("keyed like the input, so a replay lands on its partition")
                .isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        DeadLetter letter = record.value();
        assertThat(reasonOf(letter)).isEqualTo("no-id");
        assertThat(letter.getStage()).isEqualTo("validate");
        assertThat(letter.getTopic()).isEqualTo(IngestRig.CHANGES);
        assertThat(letter.getPartition()).isZero();
        assertThat(letter.getOffset()).isEqualTo(1);
        assertThat(bytes(letter.getKey())).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes(letter.getValue())).isEqualTo(anonymous);
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a", "b");
        assertThat(rig.counter("streamrag.ingest.dead.letters", "reason", "no-id")).isEqualTo(1);
        assertThat(rig.counter("streamrag.dead.letters", "stage", "validate")).isEqualTo(1);
    }

    @Test
    void aChangeWhoseKeyIsNotItsDocumentIdIsDeadLetteredSoALaterDeleteOfTheKeyLeavesNothingBehind() {
        rig.changes.pipeInput("keyA", upsert("idB", 1, "B", "Indexed under the wrong name."));
        rig.changes.pipeInput("keyless-ok", upsert("keyless-ok", 1, "OK", "Fine."));
        rig.changes.pipeInput(null, upsert("idC", 1, "C", "No key at all."));
        rig.changes.pipeInput("keyA", null);
        rig.lingerPasses();

        var letters = rig.deadLetters.readValuesToList();
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(reasonOf(letter)).isEqualTo("key-mismatch");
            assertThat(letter.getStage()).isEqualTo("validate");
        });
        assertThat(letters.get(0).getDocumentId()).isEqualTo("idB");
        assertThat(letters.get(0).getErrorMessage())
                .isEqualTo("key-mismatch: the record key 'keyA' differs; it must equal documentId 'idB'");
        assertThat(letters.get(1).getErrorMessage()).contains("the record key is missing");
        assertThat(rig.store.all()).extracting(StoredChunk::documentId).containsOnly("keyless-ok");
        assertThat(rig.counter("streamrag.ingest.dead.letters", "reason", "key-mismatch")).isEqualTo(2);
    }

    @Test
    void aBodyOverTheLimitIsDeadLetteredWithTheDocumentId() {
        rig.changes.pipeInput("big", upsert("big", 1, "Big", "x".repeat(2_001)));
        rig.lingerPasses();

        DeadLetter letter = rig.deadLetters.readValue();
        assertThat(reasonOf(letter)).isEqualTo("body-too-long");
        assertThat(letter.getDocumentId()).isEqualTo("big");
        assertThat(letter.getErrorMessage()).contains("2001", "2000");
        assertThat(letter.getFailedAt()).isEqualTo(IngestRig.NOW);
        assertThat(rig.store.count()).isZero();
        assertThat(rig.embedder.callSizes()).isEmpty();
    }

    @Test
    void unparseableBytesAreDeadLetteredAsTheyCame() {
        byte[] garbage = {7, 1, 2, 3};
        rig.rawChanges.pipeInput(null, garbage);
        rig.cdcJson.pipeInput(null, "{not json".getBytes(StandardCharsets.UTF_8));
        rig.cdcAvro.pipeInput(null, "not avro".getBytes(StandardCharsets.UTF_8));
        rig.changes.pipeInput("a", upsert("a", 1, "A", "Still flowing."));
        rig.lingerPasses();

        var letters = rig.deadLetters.readValuesToList();
        assertThat(letters).extracting(DeadLetter::getTopic, IngestDeadLetterTest::reasonOf, DeadLetter::getStage)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(IngestRig.CHANGES, "unparseable", "deserialize"),
                        org.assertj.core.groups.Tuple.tuple(IngestRig.CDC_JSON, "unparseable", "deserialize"),
                        org.assertj.core.groups.Tuple.tuple(IngestRig.CDC_AVRO, "unparseable", "deserialize"));
        assertThat(bytes(letters.get(0).getValue())).isEqualTo(garbage);
        assertThat(letters.get(0).getKey()).isNull();
        assertThat(rig.updates.readValuesToList()).extracting(IndexUpdate::getDocumentId).containsExactly("a");
    }

    @Test
    void anAvroRecordOfAnotherSchemaIsAWrongSchema() {
        IndexUpdate notAChange = IndexUpdate.newBuilder().setDocumentId("a").setVersion(1)
                .setOperation(Operation.CREATE).setChunkCount(1).setSourceTime(Instant.EPOCH)
                .setAppliedTime(Instant.EPOCH).build();
        // written under another topic's subject: the registry refuses a second record type under one subject
        byte[] bytes = TestSerdes.specific(IndexUpdate.class).serializer().serialize("elsewhere", notAChange);
        rig.rawChanges.pipeInput(null, bytes);

        assertThat(reasonOf(rig.deadLetters.readValue())).isEqualTo("wrong-schema");
    }

    @Test
    void aCdcRowWithoutItsIdColumnIsDeadLettered() {
        var row = DebeziumEvents.row(1, "T", "Body.");
        row.remove("id");
        rig.cdcJson.pipeInput(null, DebeziumEvents.envelope("c", null, row, 10));

        DeadLetter letter = rig.deadLetters.readValue();
        assertThat(reasonOf(letter)).isEqualTo("no-id");
        assertThat(letter.getTopic()).isEqualTo(IngestRig.CDC_JSON);
        assertThat(letter.getOffset()).isZero();
    }
}
