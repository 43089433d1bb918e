package io.streamrag.app;

import java.util.Locale;

import io.streamrag.contracts.Question;
import io.streamrag.kafka.deadletter.RecordFailure;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A small role for the runtime's integration tests: questions in, the same questions with upper-cased text out.
 * A question whose text contains "explode" fails with a {@link RecordFailure} (dead-lettered); one containing "fatal"
 * throws an {@link Error}, which no handler may swallow.
 */
final class QuestionNormaliserRole implements RoleTopology {

    static final String STAGE = "normalise";

    private final String outputTopic;

    QuestionNormaliserRole(String outputTopic) {
        this.outputTopic = outputTopic;
    }

    @Override
    public Role role() {
        return Role.QA;
    }

    @Override
    public Topology build(RoleContext context) {
        Serde<Question> questions = context.valueSerde(Question.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(context.config().topics().questions(), Consumed.with(Serdes.String(), questions))
                .mapValues(QuestionNormaliserRole::normalise, Named.as("normalise-question"))
                .to(outputTopic, Produced.with(Serdes.String(), questions));
        return builder.build();
    }

    private static Question normalise(Question question) {
        if (question.getText().contains("explode")) {
            throw new RecordFailure(STAGE, question.getQuestionId(), "cannot normalise '" + question.getText() + "'");
        }
        if (question.getText().contains("fatal")) {
            throw new LinkageError("simulated fatal error for " + question.getQuestionId());
        }
        return Question.newBuilder(question).setText(question.getText().toUpperCase(Locale.ROOT)).build();
    }
}
