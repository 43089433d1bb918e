package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.Question;
import io.streamrag.qa.testing.QaTestBed;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingQuestionSerdeTest {

    private final PendingQuestionSerde serde = new PendingQuestionSerde(
            QaTestBed.serde(Question.class, "mock://pending-question-serde-test"), "questions");

    @Test
    void aBufferedQuestionSurvivesTheChangelogRoundTrip() {
        Question question = QaTestBed.question("q-1", "Who?").setTenant("acme").setTopK(3)
                .setFilters(Map.of("lang", "en")).setDeadlineMs(250L).build();
        PendingQuestion pending = new PendingQuestion(question, "key-1", 1234L, "questions", 2, 99L);

        byte[] bytes = serde.serializer().serialize("changelog", pending);
        assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(pending);
    }

    @Test
    void aNullKeyStaysNull() {
        PendingQuestion pending = new PendingQuestion(QaTestBed.question("q-2", "Why?").build(), null, 1L, "questions",
                0, 0L);
        assertThat(serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", pending))
                .key()).isNull();
    }
}
