package io.streamrag.ingest.batch;

import java.util.List;

/**
 * A batch could not be applied. It stays buffered: the stream thread fails without committing, and the batch is
 * applied again from the last commit by the replacement thread.
 */
public final class BatchFailedException extends RuntimeException {

    BatchFailedException(String message, List<String> documentIds, Throwable cause) {
        super(message + " (batch of " + documentIds.size() + " documents: "
                + String.join(", ", documentIds.subList(0, Math.min(20, documentIds.size())))
                + (documentIds.size() > 20 ? ", ..." : "") + ")", cause);
    }
}
