package io.streamrag.kafka.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamrag.contracts.DeadLetter;
import io.streamrag.serde.RegistryUnavailableException;
import io.streamrag.serde.SpecificAvroSerde;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Which failures each handler dead-letters (record's fault) and which stop the role (the environment's fault). */
class DeadLetterHandlerDecisionsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, Object> config = Map.of(
            DeadLetterRouter.TOPIC_CONFIG, "dead",
            DeadLetterRouter.ROLE_CONFIG, "ingest",
            DeadLetterRouter.METER_REGISTRY_CONFIG, meters,
            "schema.registry.url", "mock://handler-decisions");
    private static final ConsumerRecord<byte[], byte[]> RECORD =
            new ConsumerRecord<>("docs", 3, 99L, bytes("doc-1"), bytes("payload"));

    @Test
    void deserializationHandlerDeadLettersBadBytesButStopsWhenTheRegistryIsDown() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(config);

        DeserializationExceptionHandler.Response bad = handler.handleError(context(), RECORD,
                new SerializationException("unknown magic byte"));
        DeserializationExceptionHandler.Response outage = handler.handleError(context(), RECORD,
                new RegistryUnavailableException("no registry URL answered", new ConnectException("refused")));

        assertThat(bad.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(bad.deadLetterQueueRecords()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("dead");
            assertThat(record.key()).isEqualTo(bytes("doc-1"));
            DeadLetter letter = decode(record);
            assertThat(letter.getStage()).isEqualTo("deserialize");
            assertThat(letter.getPartition()).isEqualTo(3);
            assertThat(letter.getOffset()).isEqualTo(99L);
            assertThat(letter.getErrorMessage()).isEqualTo("unknown magic byte");
        });
        assertThat(outage.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(outage.deadLetterQueueRecords()).isEmpty();
        assertThat(meters.counter("streamrag.dead.letters", "stage", "deserialize").count()).isEqualTo(1.0);
    }

    @Test
    void processingHandlerStopsOnInfrastructureFailuresAnywhereInTheCauseChain() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(config);
        Record<String, String> record = new Record<>("doc-1", "payload", 0L);

        ProcessingExceptionHandler.Response poison = handler.handleError(context(), record,
                new RecordFailure("chunk", "doc-1", "body has no text"));
        ProcessingExceptionHandler.Response storeDown = handler.handleError(context(), record,
                new RuntimeException("upsert failed", new InfrastructureFailure("qdrant unavailable",
                        new IOException("connection reset"))));

        assertThat(poison.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(decode(poison.deadLetterQueueRecords().get(0)).getStage()).isEqualTo("chunk");
        assertThat(storeDown.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void productionHandlerDeadLettersOversizedAndUnserialisableOutputOnly() {
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(config);
        ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("answers", bytes("q"), bytes("a"));

        ProductionExceptionHandler.Response tooLarge = handler.handleError(context(), output,
                new RecordTooLargeException("2 MB"));
        ProductionExceptionHandler.Response unserialisable = handler.handleSerializationError(context(), output,
                new SerializationException("schema refused"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        ProductionExceptionHandler.Response forbidden = handler.handleError(context(), output,
                new TopicAuthorizationException("answers"));
        ProductionExceptionHandler.Response deadLetterTooLarge = handler.handleError(context(),
                new ProducerRecord<>("dead", bytes("q"), bytes("a")), new RecordTooLargeException("2 MB"));

        assertThat(tooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(decode(tooLarge.deadLetterQueueRecords().get(0)).getStage()).isEqualTo("produce:answers");
        assertThat(unserialisable.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(decode(unserialisable.deadLetterQueueRecords().get(0)).getStage()).isEqualTo("serialize:answers");
        assertThat(forbidden.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        // a dead letter that cannot be written is logged and counted: failing would fail again after every restart
        assertThat(deadLetterTooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(deadLetterTooLarge.deadLetterQueueRecords()).isEmpty();
        assertThat(meters.counter("streamrag.dead.letters.lost", "stage", "produce").count()).isEqualTo(1.0);
    }

    private DeadLetter decode(ProducerRecord<byte[], byte[]> record) {
        SpecificAvroSerde<DeadLetter> serde = new SpecificAvroSerde<>(DeadLetter.class);
        serde.configure(config, false);
        return serde.deserializer().deserialize(record.topic(), record.value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context() {
        return new StubErrorHandlerContext(RECORD.topic(), RECORD.partition(), RECORD.offset(), "chunker",
                RECORD.key(), RECORD.value());
    }
}
