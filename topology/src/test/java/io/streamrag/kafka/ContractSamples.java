package io.streamrag.kafka;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.IndexUpdate;
import io.streamrag.contracts.ModelInfo;
import io.streamrag.contracts.Operation;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.contracts.SourceInfo;
import io.streamrag.contracts.StageTimings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic, fully populated record of every contract type (optional fields set, so every branch travels). */
final class ContractSamples {

    private static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);

    private ContractSamples() {
    }

    static List<SpecificRecord> all() {
        return List.of(documentChange(), question(), answer(), deadLetter(), indexUpdate());
    }

    static DocumentChange documentChange() {
        return DocumentChange.newBuilder()
                .setOperation(Operation.UPDATE)
                .setDocumentId("doc-42")
                .setVersion(7_340_032L)
                .setTitle("Normans")
                .setBody("The Normans were the people who in the 10th and 11th centuries gave their name to Normandy.")
                .setMetadata(Map.of("language", "en", "url", "https://en.wikipedia.org/wiki/Normans"))
                .setTenant("acme")
                .setSource(SourceInfo.newBuilder()
                        .setSystem("postgres").setName("docs").setDatabase("kb").setTable("public.documents")
                        .setPosition("0/16B3748").setSnapshot(false).build())
                .setEventTime(T0)
                .build();
    }

    static Question question() {
        return Question.newBuilder()
                .setQuestionId("q-1")
                .setText("In what country is Normandy located?")
                .setTopK(5)
                .setTenant("acme")
                .setFilters(Map.of("language", "en"))
                .setRequestedAt(T0)
                .setReplyTo("answers-acme")
                .setCorrelationId("corr-9")
                .setDeadlineMs(2_000L)
                .build();
    }

    static Answer answer() {
        return Answer.newBuilder()
                .setQuestionId("q-1")
                .setCorrelationId("corr-9")
                .setStatus(AnswerStatus.OK)
                .setText("France")
                .setError(null)
                .setDocuments(List.of(RetrievedDocument.newBuilder()
                        .setDocumentId("doc-42").setChunkId("doc-42#0").setChunkIndex(0).setTitle("Normans")
                        .setPassage("Normandy, a region in France").setScore(0.83).setWeight(0.61).setPosterior(0.9)
                        .build()))
                .setModels(ModelInfo.newBuilder()
                        .setEmbedder("all-MiniLM-L6-v2").setGenerator("bart-base").setMode("rag-sequence").build())
                .setTimings(StageTimings.newBuilder()
                        .setQueueMs(1).setEmbedMs(12).setRetrieveMs(3).setGenerateMs(250).setTotalMs(266).build())
                .setAnsweredAt(T0.plusMillis(266))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("documents")
                .setPartition(3)
                .setOffset(1_234L)
                .setKey(ByteBuffer.wrap("doc-42".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 9}))
                .setStage("deserialize")
                .setDocumentId("doc-42")
                .setErrorClass("org.apache.kafka.common.errors.SerializationException")
                .setErrorMessage("unknown magic byte 1")
                .setFailedAt(T0)
                .build();
    }

    static IndexUpdate indexUpdate() {
        return IndexUpdate.newBuilder()
                .setDocumentId("doc-42")
                .setVersion(7_340_032L)
                .setOperation(Operation.UPDATE)
                .setChunkCount(4)
                .setTenant("acme")
                .setSourceTime(T0)
                .setAppliedTime(T0.plusMillis(840))
                .setCollection("streamrag")
                .build();
    }
}
