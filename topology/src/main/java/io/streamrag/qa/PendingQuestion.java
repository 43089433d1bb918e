package io.streamrag.qa;

import io.streamrag.contracts.Question;

/**
 * A valid question waiting in the micro-batch buffer, with when it arrived (processor wall clock) and where it was
 * read from, so a later failure can still name the record's coordinates.
 */
public record PendingQuestion(Question question, String key, long enqueuedAtMs, String topic, int partition,
                              long offset) {
}
