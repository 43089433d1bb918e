package io.streamrag.serde;

import io.streamrag.serde.samples.Action;
import io.streamrag.serde.samples.Article;
import io.streamrag.serde.samples.Failure;
import io.streamrag.serde.samples.Origin;
import io.streamrag.serde.samples.Passage;
import io.streamrag.serde.samples.Query;
import io.streamrag.serde.samples.Reply;
import io.streamrag.serde.samples.ReplyStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One fully populated record of every test type (src/test/avro), optional fields set so every branch travels:
 * enums, unions, maps, arrays, nested records, bytes and timestamps.
 */
final class SerdeSamples {

    private static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

    private SerdeSamples() {
    }

    static List<SpecificRecord> all() {
        return List.of(article(), query(), reply(), failure());
    }

    static Article article() {
        return Article.newBuilder()
                .setOperation(Action.UPDATE)
                .setDocumentId("doc-42")
                .setVersion(7_340_032L)
                .setTitle("Normans")
                .setBody("The Normans were the people who in the 10th and 11th centuries gave their name to Normandy.")
                .setMetadata(Map.of("language", "en", "url", "https://en.wikipedia.org/wiki/Normans"))
                .setTenant("acme")
                .setSource(Origin.newBuilder().setSystem("postgres").setPosition("0/16B3748").setSnapshot(false)
                        .build())
                .setEventTime(T0)
                .build();
    }

    static Query query() {
        return Query.newBuilder()
                .setQuestionId("q-1")
                .setText("In what country is Normandy located?")
                .setTopK(5)
                .setTenant("acme")
                .setFilters(Map.of("language", "en"))
                .setRequestedAt(T0)
                .setReplyTo("answers-acme")
                .setDeadlineMs(2_000L)
                .build();
    }

    static Reply reply() {
        return Reply.newBuilder()
                .setQuestionId("q-1")
                .setStatus(ReplyStatus.OK)
                .setText("France")
                .setPassages(List.of(Passage.newBuilder()
                        .setDocumentId("doc-42").setPassage("Normandy, a region in France").setScore(0.83)
                        .setWeight(0.61).build()))
                .setAnsweredAt(T0.plusMillis(266))
                .build();
    }

    static Failure failure() {
        return Failure.newBuilder()
                .setTopic("documents")
                .setPartition(3)
                .setOffset(1_234L)
                .setKey(ByteBuffer.wrap("doc-42".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 9}))
                .setErrorMessage("unknown magic byte 1")
                .setFailedAt(T0)
                .build();
    }
}
