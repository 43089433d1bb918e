package io.streamrag.ingest.batch;

import io.streamrag.kafka.deadletter.InfrastructureFailure;
import java.util.List;

/**
 * A batch could not be applied: the embedder or the vector store failed (after the store adapter's own retries).
 * Not the records' fault, so it is an {@link InfrastructureFailure}: the dead-letter handlers let it fail the stream
 * thread instead of dead-lettering the record at hand. The batch stays buffered and, after the thread is replaced,
 * is applied again from the last commit.
 */
public final class BatchFailedException extends InfrastructureFailure {

    BatchFailedException(String message, List<String> documentIds, Throwable cause) {
        super(message + " (batch of " + documentIds.size() + " documents: "
                + String.join(", ", documentIds.subList(0, Math.min(20, documentIds.size())))
                + (documentIds.size() > 20 ? ", ..." : "") + ")", cause);
    }
}
