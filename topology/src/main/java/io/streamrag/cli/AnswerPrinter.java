package io.streamrag.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.contracts.StageTimings;
import java.io.PrintWriter;
import java.util.Locale;

/** Renders answers for people (text with sources) or for scripts (one JSON object). */
final class AnswerPrinter {

    private static final int PASSAGE_PREVIEW_CHARS = 160;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AnswerPrinter() {
    }

    static void printText(Answer answer, PrintWriter out) {
        out.printf(Locale.ROOT, "[%s] %s%n", answer.getStatus(), answer.getQuestionId());
        if (answer.getText() != null) {
            out.println("Answer: " + answer.getText().strip());
        }
        if (answer.getError() != null) {
            out.println("Reason: " + answer.getError());
        }
        if (!answer.getDocuments().isEmpty()) {
            out.println("Sources:");
            int rank = 1;
            for (RetrievedDocument document : answer.getDocuments()) {
                out.printf(Locale.ROOT, "  %d. %s (%s#%d)  score %.4f  p(d|x) %.4f%s%n", rank++,
                        document.getTitle() == null ? "(untitled)" : document.getTitle(), document.getDocumentId(),
                        document.getChunkIndex(), document.getScore(), document.getWeight(),
                        document.getPosterior() == null ? ""
                                : String.format(Locale.ROOT, "  p(d|x,y) %.4f", document.getPosterior()));
                out.println("     " + preview(document.getPassage()));
            }
        }
        StageTimings t = answer.getTimings();
        out.printf(Locale.ROOT, "Models: embedder %s, generator %s, mode %s%n", answer.getModels().getEmbedder(),
                answer.getModels().getGenerator(), answer.getModels().getMode());
        out.printf(Locale.ROOT, "Timings (ms): queue %d, embed %d, retrieve %d, generate %d, total %d%n",
                t.getQueueMs(), t.getEmbedMs(), t.getRetrieveMs(), t.getGenerateMs(), t.getTotalMs());
        if (answer.getIndexPosition() != null || answer.getStoreAgeMs() != null) {
            out.printf(Locale.ROOT, "Index position: %s (store age %s ms)%n",
                    answer.getIndexPosition() == null ? "-" : answer.getIndexPosition(),
                    answer.getStoreAgeMs() == null ? "-" : answer.getStoreAgeMs());
        }
        out.flush();
    }

    static void printJson(Answer answer, PrintWriter out, boolean pretty) {
        try {
            ObjectNode json = toJson(answer);
            out.println(pretty ? JSON.writeValueAsString(json) : JSON.writer()
                    .without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write answer " + answer.getQuestionId() + " as JSON", e);
        }
    }

    /** Plain JSON (no Avro union wrappers): the shape a script expects. */
    static ObjectNode toJson(Answer answer) {
        ObjectNode json = JSON.createObjectNode();
        json.put("questionId", answer.getQuestionId());
        json.put("correlationId", answer.getCorrelationId());
        json.put("status", answer.getStatus().name());
        json.put("text", answer.getText());
        json.put("error", answer.getError());
        ArrayNode documents = json.putArray("documents");
        for (RetrievedDocument document : answer.getDocuments()) {
            ObjectNode d = documents.addObject();
            d.put("documentId", document.getDocumentId());
            d.put("chunkId", document.getChunkId());
            d.put("chunkIndex", document.getChunkIndex());
            d.put("title", document.getTitle());
            d.put("passage", document.getPassage());
            d.put("score", document.getScore());
            d.put("weight", document.getWeight());
            if (document.getPosterior() == null) {
                d.putNull("posterior");
            } else {
                d.put("posterior", document.getPosterior());
            }
        }
        ObjectNode models = json.putObject("models");
        models.put("embedder", answer.getModels().getEmbedder());
        models.put("generator", answer.getModels().getGenerator());
        models.put("mode", answer.getModels().getMode());
        StageTimings t = answer.getTimings();
        ObjectNode timings = json.putObject("timings");
        timings.put("queueMs", t.getQueueMs());
        timings.put("embedMs", t.getEmbedMs());
        timings.put("retrieveMs", t.getRetrieveMs());
        timings.put("generateMs", t.getGenerateMs());
        timings.put("totalMs", t.getTotalMs());
        json.put("answeredAt", answer.getAnsweredAt().toString());
        if (answer.getIndexPosition() != null) {
            json.put("indexPosition", answer.getIndexPosition());
        }
        if (answer.getStoreAgeMs() != null) {
            json.put("storeAgeMs", answer.getStoreAgeMs());
        }
        return json;
    }

    private static String preview(String passage) {
        String flat = passage.replaceAll("\\s+", " ").strip();
        return flat.length() <= PASSAGE_PREVIEW_CHARS ? flat : flat.substring(0, PASSAGE_PREVIEW_CHARS) + "...";
    }
}
