package io.streamrag.ingest;

/**
 * An input record that cannot become a document change. Thrown while decoding or mapping a record and turned into a
 * dead letter by the processor that read it; it never leaves the ingest processors.
 */
public final class RejectedRecordException extends RuntimeException {

    private final RejectReason reason;
    private final String documentId;

    public RejectedRecordException(RejectReason reason, String documentId, String message) {
        this(reason, documentId, message, null);
    }

    public RejectedRecordException(RejectReason reason, String documentId, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.documentId = documentId;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The document id when it was known before the record failed, else null. */
    public String documentId() {
        return documentId;
    }
}
