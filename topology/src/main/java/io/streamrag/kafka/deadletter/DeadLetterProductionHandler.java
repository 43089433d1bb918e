package io.streamrag.kafka.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Output that cannot be written because of the record itself (it does not serialise, or is larger than the broker
 * accepts) becomes a {@link DeadLetter} with the source record's coordinates; processing continues. Every other
 * production error (authorization, broker or transaction trouble) stops the application, as Kafka's default does:
 * dead-lettering those would silently drop everything.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private DeadLetterRouter router;

    @Override
    public void configure(Map<String, ?> configs) {
        router = DeadLetterRouter.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            return Response.fail();
        }
        return deadLetter(context, record.topic(), DeadLetters.STAGE_PRODUCE, exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return deadLetter(context, record.topic(), DeadLetters.STAGE_SERIALIZE, exception);
    }

    private Response deadLetter(ErrorHandlerContext context, String outputTopic, String stage, Exception exception) {
        if (outputTopic.equals(router.topic())) {
            // the dead letter itself cannot be written: nothing sensible is left but to stop
            return Response.fail();
        }
        DeadLetter source = DeadLetters.fromHandlerContext(context, exception, Instant.now());
        source.setStage(stage + ":" + outputTopic);
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", router.role())) {
            log.warn("Dead-lettered output to {} of record {}-{}@{} to {}: {}: {}", outputTopic, context.topic(),
                    context.partition(), context.offset(), router.topic(), source.getErrorClass(),
                    source.getErrorMessage());
        }
        return Response.resume(List.of(router.toRecord(source)));
    }
}
