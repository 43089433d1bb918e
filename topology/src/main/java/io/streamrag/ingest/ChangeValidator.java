package io.streamrag.ingest;

import io.streamrag.contracts.DocumentChange;
import io.streamrag.contracts.Operation;

/** The rules every document change obeys before it is buffered, whichever source it came from. */
public final class ChangeValidator {

    private final int maxBodyChars;

    public ChangeValidator(int maxBodyChars) {
        if (maxBodyChars <= 0) {
            throw new IllegalArgumentException("max body length must be positive, was " + maxBodyChars);
        }
        this.maxBodyChars = maxBodyChars;
    }

    /** Throws {@link RejectedRecordException} when the change must go to the dead-letter topic. */
    public void check(DocumentChange change) {
        String id = change.getDocumentId();
        if (id == null || id.isBlank()) {
            throw new RejectedRecordException(RejectReason.NO_ID, null, "document change without a document id");
        }
        if (change.getOperation() == Operation.UNKNOWN) {
            throw new RejectedRecordException(RejectReason.UNSUPPORTED_OPERATION, id,
                    "document " + id + ": operation unknown to this version of streamrag");
        }
        if (change.getVersion() < 0) {
            throw new RejectedRecordException(RejectReason.BAD_VERSION, id,
                    "document " + id + ": negative version " + change.getVersion());
        }
        String body = change.getBody();
        if (body != null && body.length() > maxBodyChars) {
            throw new RejectedRecordException(RejectReason.BODY_TOO_LONG, id, "document " + id + ": body has "
                    + body.length() + " characters, more than the configured maximum of " + maxBodyChars);
        }
    }
}
