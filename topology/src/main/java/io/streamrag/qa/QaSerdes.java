package io.streamrag.qa;

import io.streamrag.contracts.Answer;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the QA topics (Schema Registry wire format in the app, configured by the caller). */
public record QaSerdes(Serde<Question> questions, Serde<Answer> answers, Serde<DeadLetter> deadLetters) {

    public QaSerdes {
        Objects.requireNonNull(questions, "questions");
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
