package io.streamrag.qa;

import static io.streamrag.qa.testing.QaTestBed.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.kafka.deadletter.FailureLedger;
import io.streamrag.kafka.deadletter.RecordRetryException;
import io.streamrag.qa.testing.QaTestBed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A question whose answering throws an Error is not answered at once (the JVM may be at fault): the stream thread is
 * replaced and the question retried from the buffer, counted across restarts; after three failures it is answered
 * ERROR and dead-lettered, and the questions after it are answered.
 */
class QaQuarantineTest {

    @Test
    void aQuestionThatCrashesTheModelIsRetriedThenAnsweredErrorAndDeadLetteredAfterThreeAttempts() {
        FailureLedger ledger = FailureLedger.inMemory(3);
        QaSettings settings = QaTestBed.settings().withBatching(1, Duration.ofSeconds(10));
        for (int attempt = 1; attempt <= 2; attempt++) {
            // a restart: the buffer restored (the question is asked again here), the ledger kept
            try (QaTestBed bed = bed(settings, ledger)) {
                assertThatThrownBy(() -> bed.ask(question("crash", "please crash the model").build()))
                        .as("attempt %d", attempt)
                        .satisfies(e -> assertThat(chain(e)).anyMatch(RecordRetryException.class::isInstance))
                        .hasRootCauseInstanceOf(StackOverflowError.class);
                assertThat(bed.answers()).isEmpty();
            }
        }
        try (QaTestBed bed = bed(settings, ledger)) {
            bed.ask(question("crash", "please crash the model").build());
            bed.ask(question("next", "capital of France").build());

            List<Answer> answers = bed.answers();
            assertThat(answers).extracting(a -> a.getQuestionId() + ":" + a.getStatus())
                    .containsExactly("crash:ERROR", "next:OK");
            assertThat(answers.get(0).getError()).contains("failed 3 times").contains("StackOverflowError");
            DeadLetter dead = bed.deadLetters().get(0);
            assertThat(dead.getStage()).isEqualTo("quarantine");
            assertThat(dead.getDocumentId()).isEqualTo("crash");
            assertThat(bed.registry.counter("streamrag.quarantined.records", "role", "qa").count()).isEqualTo(1);
        }
    }

    private static QaTestBed bed(QaSettings settings, FailureLedger ledger) {
        QaTestBed bed = new QaTestBed(settings, null, TopicDirectory.ASSUME_EXISTING, ledger);
        bed.passage("france", "France", "Paris is the capital of France.", null);
        bed.embedder.crashOn(text -> text.contains("crash"));
        return bed;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
