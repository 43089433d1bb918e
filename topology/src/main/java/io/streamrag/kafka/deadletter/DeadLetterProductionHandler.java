package io.streamrag.kafka.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Output that cannot be written because of the record itself (it does not serialise, is larger than the broker
 * accepts, or names a topic that cannot exist) becomes a {@link DeadLetter} with the source record's coordinates;
 * processing continues. A dead letter that itself cannot be written for such a reason is logged with its coordinates
 * and counted ({@code streamrag.dead.letters.lost}): stopping would stop it again after every restart, since the
 * record that caused it is read again. Every other production error (authorization, broker or transaction trouble)
 * stops the stream thread, as Kafka's default does: dead-lettering those would silently drop everything.
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
        if (!isRecordsFault(exception)) {
            return Response.fail();
        }
        return deadLetter(context, record.topic(), DeadLetters.STAGE_PRODUCE, exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (FailureCause.isInfrastructure(exception)) {
            return Response.fail();
        }
        return deadLetter(context, record.topic(), DeadLetters.STAGE_SERIALIZE, exception);
    }

    /** Failures that repeat for this record whatever the environment does. */
    static boolean isRecordsFault(Exception exception) {
        return exception instanceof RecordTooLargeException || exception instanceof InvalidTopicException;
    }

    private Response deadLetter(ErrorHandlerContext context, String outputTopic, String stage, Exception exception) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", router.role())) {
            if (outputTopic.equals(router.topic())) {
                router.lost(stage);
                log.error("Lost a dead letter for record {}-{}@{}: it cannot be written to {}: {}: {}",
                        context.topic(), context.partition(), context.offset(), outputTopic,
                        exception.getClass().getName(), exception.getMessage());
                return Response.resume();
            }
            DeadLetter source = DeadLetters.fromHandlerContext(context, exception, Instant.now());
            source.setStage(stage + ":" + outputTopic);
            log.warn("Dead-lettered output to {} of record {}-{}@{} to {}: {}: {}", outputTopic, context.topic(),
                    context.partition(), context.offset(), router.topic(), source.getErrorClass(),
                    source.getErrorMessage());
            return Response.resume(List.of(router.toRecord(source)));
        }
    }
}
