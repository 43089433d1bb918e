package io.streamrag.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrag.serde.samples.Query;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serde as Kafka Streams uses it: configured by class name from the Streams properties, and its
 * SerializationException reaching the deserialization handler, which sends the bad record to a dead-letter topic.
 */
class StreamsSerdeTest {

    private static final String SCOPE = "streams";

    /** Dead-letters records the serde refused as bad bytes; anything else stops the application. */
    public static final class DeadLetterOnBadBytes implements DeserializationExceptionHandler {

        @Override
        public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception e) {
            if (!(e instanceof SerializationException)) {
                return Response.fail();
            }
            ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>("dead-letters", record.key(), record.value());
            dead.headers().add("error", e.getMessage().getBytes(StandardCharsets.UTF_8));
            return Response.resume(List.of(dead));
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void aBadRecordIsDeadLetteredAndTheNextOneIsProcessed() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, Query>stream("questions")
                .filter((id, question) -> question.getTopK() != null)
                .to("accepted-questions");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "serde-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, SpecificAvroSerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnBadBytes.class);
        props.put(RegistryClientConfig.URL, "mock://" + SCOPE);
        SpecificAvroSerde<Query> clientSerde = new SpecificAvroSerde<>(Query.class);
        clientSerde.configure(Map.of(RegistryClientConfig.URL, "mock://" + SCOPE), false);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, byte[]> questions = driver.createInputTopic("questions",
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, Query> accepted = driver.createOutputTopic("accepted-questions",
                    new StringDeserializer(), clientSerde.deserializer());
            TestOutputTopic<byte[], byte[]> deadLetters = driver.createOutputTopic("dead-letters",
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());

            questions.pipeInput("q-0", "{\"text\":\"not avro\"}".getBytes(StandardCharsets.UTF_8));
            questions.pipeInput("q-1", clientSerde.serializer().serialize("questions", SerdeSamples.query()));

            assertThat(accepted.readValuesToList()).containsExactly(SerdeSamples.query());
            TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("q-0");
            assertThat(new String(dead.headers().lastHeader("error").value(), StandardCharsets.UTF_8))
                    .contains("unknown magic byte 123")
                    .contains("topic 'questions'");
            assertThat(deadLetters.isEmpty()).isTrue();
        }
        assertThat(MockSchemaRegistry.clientForScope(SCOPE).latest("accepted-questions-value").schema())
                .isEqualTo(Query.getClassSchema());
    }
}
