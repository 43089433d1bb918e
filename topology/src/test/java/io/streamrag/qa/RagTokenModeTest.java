package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.RetrievedDocument;
import io.streamrag.inference.bart.BartGenerator;
import io.streamrag.inference.device.DeviceSettings;
import io.streamrag.qa.testing.QaTestBed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rag-token} as the topology's generation mode, on the tiny BART: questions in, answers with posteriors out. */
class RagTokenModeTest {

    @TempDir
    Path scratch;

    @Test
    void answersSayWhichPassagesTheyRestOn() throws Exception {
        try (BartGenerator bart = BartGenerator.open(TinyBartFolder.locate(scratch), DeviceSettings.CPU_FP32)) {
            QaSettings settings = QaTestBed.settings().withMode(QaSettings.GenerationMode.RAG_TOKEN)
                    .withRetrieval(3, 5, -1.0).withGeneration(2, 8, null); // every passage scores above -1
            try (QaTestBed bed = new QaTestBed(settings, bart)) {
                bed.passage("baseball", "Baseball", "Who won the world series?", null)
                        .passage("kafka", "Kafka", "Kafka streams process events.", null)
                        .passage("paris", "Paris", "Paris is the capital of France.", null)
                        .passage("water", "Water", "Water boils at one hundred degrees.", null);
                bed.ask(QaTestBed.question("q1", "Who won the world series?").build());
                bed.ask(QaTestBed.question("q2", "What is the capital of France?").build());
                bed.advance(Duration.ofMillis(10));

                List<Answer> answers = bed.answers();
                assertThat(answers).hasSize(2);
                for (Answer answer : answers) {
                    assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
                    assertThat(answer.getModels().getMode()).isEqualTo("rag-token");
                    assertThat(answer.getModels().getGenerator()).isEqualTo(bart.modelName());
                    assertThat(answer.getDocuments()).hasSize(3);
                    double sum = 0;
                    for (RetrievedDocument d : answer.getDocuments()) {
                        assertThat(d.getPosterior()).isNotNull().isBetween(0.0, 1.0);
                        sum += d.getPosterior();
                    }
                    assertThat(sum).isCloseTo(1.0, within(1e-9));
                }
            }
        }
    }
}
