package io.streamrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.ModelInfo;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.contracts.StageTimings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AnswerPrinterTest {

    private static Answer answer() {
        return Answer.newBuilder()
                .setQuestionId("q-1")
                .setStatus(AnswerStatus.OK)
                .setText(" Oslo")
                .setDocuments(List.of(RetrievedDocument.newBuilder().setDocumentId("norway").setChunkId("c")
                        .setChunkIndex(2).setTitle("Norway").setPassage("Oslo is the   capital.").setScore(0.8125)
                        .setWeight(0.6).setPosterior(0.75).build(),
                        RetrievedDocument.newBuilder().setDocumentId("fjords").setChunkId("d").setChunkIndex(0)
                                .setTitle(null).setPassage("Fjords.").setScore(0.5).setWeight(0.4)
                                .setPosterior(null).build()))
                .setModels(ModelInfo.newBuilder().setEmbedder("minilm").setGenerator("bart").setMode("rag-sequence")
                        .build())
                .setTimings(StageTimings.newBuilder().setQueueMs(1).setEmbedMs(2).setRetrieveMs(3).setGenerateMs(4)
                        .setTotalMs(10).build())
                .setAnsweredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build();
    }

    @Test
    void textShowsTheAnswerAndEachSourceWithItsScores() {
        StringWriter out = new StringWriter();
        AnswerPrinter.printText(answer(), new PrintWriter(out));

        assertThat(out.toString()).contains("[OK] q-1")
                .contains("Answer: Oslo\n")
                .contains("1. Norway (norway#2)  score 0.8125  p(d|x) 0.6000  p(d|x,y) 0.7500")
                .contains("     Oslo is the capital.")
                .contains("2. (untitled) (fjords#0)  score 0.5000  p(d|x) 0.4000\n")
                .contains("Timings (ms): queue 1, embed 2, retrieve 3, generate 4, total 10");
    }

    @Test
    void jsonIsPlainWithoutAvroUnionWrappers() throws Exception {
        JsonNode json = new ObjectMapper().readTree(AnswerPrinter.toJson(answer()).toString());

        assertThat(json.get("text").asText()).isEqualTo(" Oslo");
        assertThat(json.get("documents").get(0).get("posterior").asDouble()).isEqualTo(0.75);
        assertThat(json.get("documents").get(1).get("posterior").isNull()).isTrue();
        assertThat(json.get("documents").get(1).get("title").isNull()).isTrue();
        assertThat(json.get("timings").get("totalMs").asLong()).isEqualTo(10);
        assertThat(json.get("answeredAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void commandsDefaultToTheEmbeddedAppsEndpointsAndTopics() {
        AskCommand ask = new AskCommand();
        new CommandLine(ask).parseArgs("who", "is", "there?");

        assertThat(ask.words).containsExactly("who", "is", "there?");
        assertThat(ask.connection.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(ask.connection.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(ask.questionsTopic).isEqualTo("streamrag.questions");
        assertThat(ask.answersTopic).isEqualTo("streamrag.answers");
        assertThat(ask.timeout).hasSeconds(30);

        LoadCommand load = new LoadCommand();
        new CommandLine(load).parseArgs("docs/");
        assertThat(load.documentsTopic).isEqualTo("streamrag.documents");
    }

    @Test
    void exitCodesSeparateAnsweredFromFailed() {
        assertThat(AskCommand.exitCodeOf(AnswerStatus.OK)).isZero();
        assertThat(AskCommand.exitCodeOf(AnswerStatus.NO_CONTEXT)).isZero();
        assertThat(AskCommand.exitCodeOf(AnswerStatus.TIMEOUT)).isEqualTo(1);
        assertThat(AskCommand.exitCodeOf(AnswerStatus.INVALID)).isEqualTo(1);
    }
}
