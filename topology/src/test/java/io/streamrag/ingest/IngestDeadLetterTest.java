package io.streamrag.ingest;

import static io.streamrag.ingest.Documents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.Operation;
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

        DeadLetter letter = rig.deadLetters.readValue();
        assertThat(letter.getErrorClass()).isEqualTo("no-id");
        assertThat(letter.getStage()).isEqualTo("validate");
        assertThat(letter.getTopic()).isEqualTo(IngestRig.CHANGES);
        assertThat(letter.getPartition()).isZero();
        assertThat(letter.getOffset()).isEqualTo(1);
        assertThat(bytes(letter.getKey())).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes(letter.getValue())).isEqualTo(anonymous);
        assertThat(rig.updates.readKeyValuesToMap()).containsOnlyKeys("a", "b");
        assertThat(rig.counter("streamrag.ingest.dead.letters", "reason", "no-id")).isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsDeadLetteredWithTheDocumentId() {
        rig.changes.pipeInput("big", upsert("big", 1, "Big", "x".repeat(2_001)));
        rig.lingerPasses();

        DeadLetter letter = rig.deadLetters.readValue();
        assertThat(letter.getErrorClass()).isEqualTo("body-too-long");
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
        assertThat(letters).extracting(DeadLetter::getTopic, DeadLetter::getErrorClass, DeadLetter::getStage)
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
        rig.rawChanges.pipeInput(null, WireFormatTestSerdes.encode(notAChange));

        assertThat(rig.deadLetters.readValue().getErrorClass()).isEqualTo("wrong-schema");
    }

    @Test
    void aCdcRowWithoutItsIdColumnIsDeadLettered() {
        var row = DebeziumEvents.row(1, "T", "Body.");
        row.remove("id");
        rig.cdcJson.pipeInput(null, DebeziumEvents.envelope("c", null, row, 10));

        DeadLetter letter = rig.deadLetters.readValue();
        assertThat(letter.getErrorClass()).isEqualTo("no-id");
        assertThat(letter.getTopic()).isEqualTo(IngestRig.CDC_JSON);
        assertThat(letter.getOffset()).isZero();
    }
}
