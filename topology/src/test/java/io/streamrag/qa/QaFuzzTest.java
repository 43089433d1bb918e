package io.streamrag.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.AnswerStatus;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import io.streamrag.qa.testing.QaTestBed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Random and adversarial questions (ids, texts of every size and script, top-k, deadlines, tenants, filters, reply
 * topics valid, foreign, missing and malformed) through the QA topology: after each one a good question is still
 * answered OK, and each random one gets exactly one answer, with exactly one dead letter when that answer is INVALID
 * or ERROR and none otherwise.
 */
class QaFuzzTest {

    private static final Duration LINGER = Duration.ofMillis(5);
    /** Reply topics that exist; "answers-gone" is allowed by name but missing. */
    private static final Set<String> EXISTING = Set.of("answers", "answers-team", "answers.eu", "payments");

    private QaTestBed bed;
    private int round;

    @BeforeProperty
    void open() {
        bed = new QaTestBed(QaTestBed.settings().withMaxQuestionChars(500).withRetrieval(3, 10, 0.0)
                .withBatching(4, LINGER), null, EXISTING::contains);
        bed.passage("france", "France", "Paris is the capital of France. France borders Spain.", null);
        bed.passage("norway", "Norway", "Oslo is the capital of Norway. Norway has fjords.", "acme");
    }

    @AfterProperty
    void close() {
        bed.close();
    }

    @Property(tries = 150)
    void everyRandomQuestionGetsOneAnswerADeadLetterExactlyWhenItFailedAndTheNextGoodQuestionIsAnswered(
            @ForAll("questions") Question random) {
        round++;
        String correlation = "round-" + round;
        random.setCorrelationId(correlation);
        random.setRequestedAt(bed.now());
        bed.ask(random);
        Question good = QaTestBed.question("good-" + round, "What is the capital of France?")
                .setRequestedAt(bed.now()).build();
        bed.ask(good);
        bed.advance(LINGER);

        List<Answer> answers = new ArrayList<>(bed.answers());
        if (routable(random.getReplyTo())) {
            answers.addAll(bed.answersTopic(random.getReplyTo()).readValuesToList());
        }
        List<DeadLetter> dead = bed.deadLetters();
        assertThat(answers).filteredOn(a -> a.getQuestionId().equals(good.getQuestionId()))
                .singleElement().satisfies(a -> assertThat(a.getStatus()).isEqualTo(AnswerStatus.OK));
        List<Answer> forRandom = answers.stream().filter(a -> correlation.equals(a.getCorrelationId())).toList();
        assertThat(forRandom).as("one answer for %s", random).hasSize(1);
        AnswerStatus status = forRandom.get(0).getStatus();
        boolean failed = status == AnswerStatus.INVALID || status == AnswerStatus.ERROR;
        assertThat(dead).as("dead letters for %s answered %s", random, status).hasSize(failed ? 1 : 0);
        if (failed) {
            assertThat(forRandom.get(0).getError()).isNotBlank();
        }
        if (status == AnswerStatus.OK || status == AnswerStatus.NO_CONTEXT) {
            assertThat(random.getText().strip()).isNotEmpty();
        }
    }

    /** Where an answer may go to a reply topic: an existing topic named after the answers topic. */
    private static boolean routable(String replyTo) {
        if (replyTo == null || !replyTo.startsWith("answers") || !EXISTING.contains(replyTo)) {
            return false;
        }
        try {
            Topic.validate(replyTo);
            return !replyTo.equals("answers");
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<Question> questions() {
        return Combinators.combine(ids(), texts(), Arbitraries.integers().between(-2, 14).injectNull(0.4),
                        Arbitraries.longs().between(-5, 120_000).injectNull(0.5), text(0, 12).injectNull(0.5),
                        Arbitraries.maps(text(1, 8), text(0, 8)).ofMaxSize(3), replyTopics())
                .as((id, text, topK, deadline, tenant, filters, replyTo) -> Question.newBuilder()
                        .setQuestionId(id).setText(text).setTopK(topK).setDeadlineMs(deadline).setTenant(tenant)
                        .setFilters(filters).setReplyTo(replyTo).setRequestedAt(QaTestBed.START).build());
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(text(1, 20), Arbitraries.of("", " "), text(300, 600));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.frequencyOf(Tuple.of(5, text(1, 80)), Tuple.of(1, Arbitraries.of("", "   ", "\n")),
                Tuple.of(1, text(495, 505)), Tuple.of(1, Arbitraries.just("capital of 🇫🇷 e\u0301 中文 עברית?")));
    }

    private static Arbitrary<String> replyTopics() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.<String>just(null)),
                Tuple.of(3, Arbitraries.of("answers", "answers-team", "answers.eu", "answers-gone", "payments",
                        "bad topic!", "", "..", "a".repeat(250), "answers-\u00e9")),
                Tuple.of(1, text(0, 30)));
    }

    private static Arbitrary<String> text(int min, int max) {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().whitespace().ofMinLength(min).ofMaxLength(max),
                Arbitraries.strings().all().ofMinLength(min).ofMaxLength(max),
                Arbitraries.strings().withChars("é中文עבר\u0301 \u200d.,!?").withCharRange('\uD83D', '\uD83D')
                        .withCharRange('\uDE00', '\uDE4F').ofMinLength(min).ofMaxLength(max));
    }
}
