package io.streamrag.qa.freshness;

import static io.streamrag.qa.testing.QaTestBed.question;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.qa.testing.QaTestBed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Questions with a consistency token wait for the writes it names, learnt from the IndexUpdate topic. */
class ReadYourWritesTest {

    private static final Duration STEP = Duration.ofMillis(10);

    private static QaTestBed bed() {
        return new QaTestBed(QaTestBed.settings(), null, true);
    }

    private static Map<String, Answer> byId(List<Answer> answers) {
        return answers.stream().collect(Collectors.toMap(Answer::getQuestionId, Function.identity()));
    }

    @Test
    void aQuestionWaitsForItsWriteThenAnswersFromTheNewText() {
        try (QaTestBed bed = bed()) {
            bed.applied("france", 1, "The capital of France is Lyon.");
            bed.ask(question("q", "capital of France").setConsistencyToken("france@2").build());
            bed.advance(STEP);
            bed.advance(STEP);
            assertThat(bed.answers()).as("version 2 is not applied yet").isEmpty();

            bed.applied("france", 2, "The capital of France is Paris.");
            bed.advance(STEP);
            bed.advance(STEP);

            Answer answer = bed.answers().get(0);
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
            assertThat(answer.getDocuments().get(0).getPassage()).contains("Paris");
            assertThat(answer.getIndexPosition()).isEqualTo("france@2");
            assertThat(answer.getStoreAgeMs()).isBetween(0L, 4 * STEP.toMillis());
        }
    }

    @Test
    void aSatisfiedTokenDoesNotWait() {
        try (QaTestBed bed = bed()) {
            bed.applied("france", 3, "The capital of France is Paris.");
            bed.ask(question("q", "capital of France").setConsistencyToken("france@2").build());
            bed.advance(STEP);

            assertThat(bed.answers()).singleElement()
                    .satisfies(answer -> assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK));
        }
    }

    @Test
    void aVersionThatNeverComesTimesOutNamingWhatIsMissingWhileOthersAreAnswered() {
        try (QaTestBed bed = bed()) {
            bed.applied("france", 1, "The capital of France is Paris.");
            bed.applied("norway", 4, "The capital of Norway is Oslo.");
            bed.ask(question("stuck", "capital of France").setDeadlineMs(100L)
                    .setConsistencyToken("france@9,norway@4,spain@1").build());
            bed.ask(question("free", "capital of Norway").build());
            bed.advance(STEP);
            assertThat(byId(bed.answers())).containsOnlyKeys("free");

            bed.advance(Duration.ofMillis(100));
            Answer stuck = bed.answers().get(0);
            assertThat(stuck.getQuestionId()).isEqualTo("stuck");
            assertThat(stuck.getStatus()).isEqualTo(AnswerStatus.TIMEOUT);
            assertThat(stuck.getError()).isEqualTo("consistency token not applied by the deadline; still missing: "
                    + "france@9 (applied: 1), spain@1 (applied: none)");
            bed.advance(Duration.ofMillis(100));
            assertThat(bed.answers()).as("answered once").isEmpty();
        }
    }

    @Test
    void aTokenOverSeveralDocumentsWaitsForAllOfThem() {
        try (QaTestBed bed = bed()) {
            bed.ask(question("q", "capital of Norway").setConsistencyToken("france@1,norway@1").build());
            bed.applied("norway", 1, "The capital of Norway is Oslo.");
            bed.advance(STEP);
            bed.advance(STEP);
            assertThat(bed.answers()).isEmpty();

            bed.applied("france", 1, "The capital of France is Paris.");
            bed.advance(STEP);
            bed.advance(STEP);
            assertThat(bed.answers()).singleElement()
                    .satisfies(answer -> assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK));
        }
    }

    @Test
    void aMalformedTokenIsInvalid() {
        try (QaTestBed bed = bed()) {
            bed.ask(question("q", "capital of France").setConsistencyToken("france@latest").build());

            Answer answer = bed.answers().get(0);
            assertThat(answer.getStatus()).isEqualTo(AnswerStatus.INVALID);
            assertThat(answer.getError()).isEqualTo("consistency token entry 'france@latest' has no numeric version");
            assertThat(bed.deadLetters()).hasSize(1);
        }
    }

    /**
     * After a restart the applied-versions store is restored from the IndexUpdate topic, which keeps updates for its
     * retention only: a document whose update has expired is known from the vector store instead.
     */
    @Test
    void aDocumentWhoseIndexUpdateExpiredCountsAsAppliedAtItsStoredVersion() {
        try (QaTestBed bed = bed()) {
            bed.passage("france", "France", "The capital of France is Paris.", null); // stored at version 1
            bed.ask(question("old", "capital of France").setConsistencyToken("france@1").build());
            bed.ask(question("new", "capital of France").setDeadlineMs(50L)
                    .setConsistencyToken("france@2").build());
            bed.advance(STEP);

            assertThat(bed.answers()).singleElement().satisfies(answer -> {
                assertThat(answer.getQuestionId()).isEqualTo("old");
                assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK);
            });
            bed.advance(Duration.ofMillis(60));
            assertThat(bed.answers()).singleElement().satisfies(answer -> {
                assertThat(answer.getQuestionId()).isEqualTo("new");
                assertThat(answer.getStatus()).isEqualTo(AnswerStatus.TIMEOUT);
                assertThat(answer.getError()).endsWith("still missing: france@2 (applied: 1)");
            });
        }
    }

    @Test
    void aWaitingQuestionIsReleasedByAnUpdateThatArrivesBetweenRechecks() {
        try (QaTestBed bed = bed()) {
            bed.ask(question("q", "capital of Norway").setConsistencyToken("norway@3").build());
            for (int i = 0; i < 5; i++) {
                bed.advance(STEP); // re-checks that find nothing new
            }
            assertThat(bed.answers()).isEmpty();

            bed.applied("norway", 3, "The capital of Norway is Oslo.");
            bed.advance(STEP);
            bed.advance(STEP);

            assertThat(bed.answers()).singleElement()
                    .satisfies(answer -> assertThat(answer.getStatus()).isEqualTo(AnswerStatus.OK));
        }
    }
}
