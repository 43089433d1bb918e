package io.streamrag.ingest.batch;

import java.util.List;

/**
 * The embedder (in this process) refused a batch's texts: not an outage but, most likely, one document's content. The
 * indexer then applies the batch's documents one by one to find it; that document's failures are counted and, after
 * {@code failures.quarantine.attempts}, it is dead-lettered.
 */
public final class UnembeddableBatchException extends RuntimeException {

    UnembeddableBatchException(String message, List<String> documentIds, Throwable cause) {
        super(message + " (documents " + String.join(", ", documentIds.subList(0, Math.min(20, documentIds.size())))
                + (documentIds.size() > 20 ? ", ..." : "") + ")", cause);
    }
}
