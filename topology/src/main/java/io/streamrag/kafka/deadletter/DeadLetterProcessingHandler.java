package io.streamrag.kafka.deadletter;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.streamrag.contracts.DeadLetter;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An exception thrown by a processor for one record becomes a {@link DeadLetter} carrying the source record's
 * coordinates and bytes; processing continues. A {@link RecordFailure} supplies the stage and document id.
 *
 * <p>Errors ({@link Error}, e.g. out of memory) are not records' fault: they stop the application.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetterRouter router;

    @Override
    public void configure(Map<String, ?> configs) {
        router = DeadLetterRouter.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetter deadLetter = DeadLetters.fromHandlerContext(context, exception, Instant.now());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("role", router.role())) {
            log.warn("Dead-lettered record {}-{}@{} (document {}) failing at {} to {}: {}: {}", context.topic(),
                    context.partition(), context.offset(), deadLetter.getDocumentId(), deadLetter.getStage(),
                    router.topic(), deadLetter.getErrorClass(), deadLetter.getErrorMessage(), exception);
        }
        return Response.resume(List.of(router.toRecord(deadLetter)));
    }
}
