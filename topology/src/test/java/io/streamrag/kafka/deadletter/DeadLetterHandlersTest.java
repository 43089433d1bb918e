package io.streamrag.kafka.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.streamrag.contracts.DeadLetter;
import io.streamrag.contracts.Question;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter handlers inside a topology (TopologyTestDriver): the same wiring a topology helper's own tests can
 * use to see its dead letters.
 */
class DeadLetterHandlersTest {

    private static final String IN = "questions";
    private static final String OUT = "normalised";
    private static final String DEAD = "dead-letters";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://dead-letter-handlers");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Question> questions;
    private TestInputTopic<String, byte[]> rawQuestions;
    private TestOutputTopic<String, Question> normalised;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        SpecificAvroSerde<Question> questionSerde = new SpecificAvroSerde<>(Question.class);
        questionSerde.configure(SERDE_CONFIG, false);
        SpecificAvroSerde<DeadLetter> deadLetterSerde = new SpecificAvroSerde<>(DeadLetter.class);
        deadLetterSerde.configure(SERDE_CONFIG, false);

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN, Consumed.with(Serdes.String(), questionSerde))
                .mapValues(question -> {
                    if (question.getText().isBlank()) {
                        throw new RecordFailure("validate", question.getQuestionId(), "empty question");
                    }
                    return Question.newBuilder(question).setText(question.getText().toUpperCase(Locale.ROOT)).build();
                }, Named.as("normalise"))
                .to(OUT, Produced.with(Serdes.String(), questionSerde));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-handlers-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        props.put(DeadLetterRouter.TOPIC_CONFIG, DEAD);
        props.put(DeadLetterRouter.ROLE_CONFIG, "test");
        props.putAll(SERDE_CONFIG);
        driver = new TopologyTestDriver(builder.build(), props);

        questions = driver.createInputTopic(IN, new StringSerializer(), questionSerde.serializer());
        rawQuestions = driver.createInputTopic(IN, new StringSerializer(), new ByteArraySerializer());
        normalised = driver.createOutputTopic(OUT, new StringDeserializer(), questionSerde.deserializer());
        deadLetters = driver.createOutputTopic(DEAD, new StringDeserializer(), deadLetterSerde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void badBytesAndFailedRecordsBecomeDeadLettersAndTheStreamGoesOn() {
        byte[] garbage = {1, 2, 3, 4};
        questions.pipeInput("q-1", question("q-1", "first"));
        rawQuestions.pipeInput("q-2", garbage);
        questions.pipeInput("q-3", question("q-3", " "));
        questions.pipeInput("q-4", question("q-4", "last"));

        assertThat(normalised.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value.getText())
                .containsExactly("q-1=FIRST", "q-4=LAST");

        List<KeyValue<String, DeadLetter>> dead = deadLetters.readKeyValuesToList();
        assertThat(dead).extracting(kv -> kv.key).containsExactly("q-2", "q-3");

        DeadLetter undeserialisable = dead.get(0).value;
        assertThat(undeserialisable.getStage()).isEqualTo("deserialize");
        assertThat(undeserialisable.getTopic()).isEqualTo(IN);
        assertThat(undeserialisable.getOffset()).isEqualTo(1L);
        assertThat(bytes(undeserialisable.getValue())).isEqualTo(garbage);

        DeadLetter invalid = dead.get(1).value;
        assertThat(invalid.getStage()).isEqualTo("validate");
        assertThat(invalid.getDocumentId()).isEqualTo("q-3");
        assertThat(invalid.getOffset()).isEqualTo(2L);
        assertThat(invalid.getErrorMessage()).isEqualTo("empty question");
        assertThat(bytes(invalid.getKey())).isEqualTo("q-3".getBytes(StandardCharsets.UTF_8));
    }

    private static Question question(String id, String text) {
        return Question.newBuilder().setQuestionId(id).setText(text).setRequestedAt(Instant.EPOCH).build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
