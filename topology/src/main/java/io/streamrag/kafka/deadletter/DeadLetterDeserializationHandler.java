package io.streamrag.kafka.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A record whose key or value cannot be deserialised (wrong format, unknown schema id, corrupt bytes) becomes a
 * {@link DeadLetter} with stage {@code deserialize} and its original bytes; processing continues with the next record.
 * Kafka Streams writes the dead letter with the task's producer, so under exactly-once it commits together with the
 * input offset.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetterRouter router;

    @Override
    public void configure(Map<String, ?> configs) {
        router = DeadLetterRouter.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        DeadLetter deadLetter = DeadLetters.fromConsumerRecord(record, DeadLetters.STAGE_DESERIALIZE, exception,
                Instant.now());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", router.role())) {
            log.warn("Dead-lettered undeserialisable record {}-{}@{} to {}: {}: {}", record.topic(), record.partition(),
                    record.offset(), router.topic(), exception.getClass().getName(), deadLetter.getErrorMessage());
        }
        return Response.resume(List.of(router.toRecord(deadLetter)));
    }
}
