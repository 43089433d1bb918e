package io.streamrag.qa;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.ModelInfo;
import io.streamrag.contracts.Question;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.contracts.StageTimings;
import io.streamrag.store.SearchHit;
import io.streamrag.store.StoredChunk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the Avro {@link Answer} events: one place that knows the contract's fields. */
public final class AnswerAssembler {

    private final ModelInfo models;

    public AnswerAssembler(String embedderName, String generatorName, String modeName) {
        this.models = ModelInfo.newBuilder()
                .setEmbedder(embedderName)
                .setGenerator(generatorName)
                .setMode(modeName)
                .build();
    }

    public ModelInfo models() {
        return models;
    }

    public Answer answer(Question question, AnswerStatus status, String text, String error,
                         List<RetrievedDocument> documents, StageTimings timings, long answeredAtMs) {
        return Answer.newBuilder()
                .setQuestionId(question.getQuestionId())
                .setCorrelationId(question.getCorrelationId())
                .setStatus(status)
                .setText(status == AnswerStatus.OK ? text : null)
                .setError(error)
                .setDocuments(documents)
                .setModels(ModelInfo.newBuilder(models).build())
                .setTimings(timings)
                .setAnsweredAt(Instant.ofEpochMilli(answeredAtMs))
                .build();
    }

    /** Retrieved passages with p(d|x) and, when known, p(d|x,y). */
    public static List<RetrievedDocument> documents(List<SearchHit> hits, double[] weights, double[] posteriors) {
        List<RetrievedDocument> documents = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            StoredChunk chunk = hits.get(i).chunk();
            documents.add(RetrievedDocument.newBuilder()
                    .setDocumentId(chunk.documentId())
                    .setChunkId(chunk.chunkId())
                    .setChunkIndex(chunk.chunkIndex())
                    .setTitle(chunk.title())
                    .setPassage(chunk.text())
                    .setScore(hits.get(i).score())
                    .setWeight(weights[i])
                    .setPosterior(posteriors == null ? null : posteriors[i])
                    .setVersion(chunk.version())
                    .build());
        }
        return documents;
    }

    public static StageTimings timings(long queueMs, long embedMs, long retrieveMs, long generateMs, long totalMs) {
        return StageTimings.newBuilder()
                .setQueueMs(queueMs)
                .setEmbedMs(embedMs)
                .setRetrieveMs(retrieveMs)
                .setGenerateMs(generateMs)
                .setTotalMs(totalMs)
                .build();
    }
}
