package io.streamrag.kafka.deadletter;

import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a processor when one record cannot be processed, e.g. a document body over the size limit or an
 * embedding failure for one chunk. The runtime's processing exception handler turns it into a {@code DeadLetter}
 * with this stage and document id (plus the source record's topic, partition, offset and bytes) and continues with
 * the next record.
 *
 * <p>Throw it only for problems of the record itself. Infrastructure failures (store down, broker unreachable) should
 * propagate as they are, so the application stops instead of dead-lettering every record.
 */
public final class RecordFailure extends RuntimeException {

    private final String stage;
    private final String documentId;

    /**
     * @param stage      where it failed: validate, map, chunk, embed, store, answer, ...
     * @param documentId the document or question id when known, else null
     */
    public RecordFailure(String stage, String documentId, String message, Throwable cause) {
        super(message, cause);
        this.stage = Objects.requireNonNull(stage, "stage");
        this.documentId = documentId;
    }

    public RecordFailure(String stage, String documentId, String message) {
        this(stage, documentId, message, null);
    }

    public String stage() {
        return stage;
    }

    public Optional<String> documentId() {
        return Optional.ofNullable(documentId);
    }
}
