package io.streamrag.qa;

import io.streamrag.contracts.Question;
import io.streamrag.qa.freshness.ConsistencyToken;
import java.util.Optional;

/** Rejects questions the pipeline cannot or must not answer, with a reason a client can act on. */
public final class QuestionValidator {

    private final QaSettings settings;

    public QuestionValidator(QaSettings settings) {
        this.settings = settings;
    }

    /** The reason the question is invalid, or empty when it can be answered. */
    public Optional<String> problemWith(Question question) {
        if (question.getQuestionId() == null || question.getQuestionId().isBlank()) {
            return Optional.of("question id is empty");
        }
        String text = question.getText();
        if (text == null || text.isBlank()) {
            return Optional.of("question text is empty");
        }
        if (text.length() > settings.maxQuestionChars()) {
            return Optional.of("question text has " + text.length() + " characters, the limit is "
                    + settings.maxQuestionChars());
        }
        Integer topK = question.getTopK();
        if (topK != null && (topK < 1 || topK > settings.maxTopK())) {
            return Optional.of("top-k " + topK + " is outside [1, " + settings.maxTopK() + "]");
        }
        Long deadline = question.getDeadlineMs();
        if (deadline != null && deadline <= 0) {
            return Optional.of("deadline " + deadline + " ms is not positive");
        }
        // replyTo is checked by ReplyTargets: it needs the allow-list and the cluster
        if (question.getConsistencyToken() != null && !question.getConsistencyToken().isBlank()) {
            try {
                ConsistencyToken.parse(question.getConsistencyToken());
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage());
            }
        }
        return Optional.empty();
    }

    public int topKOf(Question question) {
        return question.getTopK() != null ? question.getTopK() : settings.defaultTopK();
    }

    /** Wall-clock time (ms) after which the question gets TIMEOUT: requestedAt + its deadline or the default. */
    public long deadlineOf(Question question) {
        long budget = question.getDeadlineMs() != null
                ? question.getDeadlineMs() : settings.defaultDeadline().toMillis();
        return question.getRequestedAt().toEpochMilli() + budget;
    }
}
