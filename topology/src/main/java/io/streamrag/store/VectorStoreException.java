package io.streamrag.store;

/**
 * A vector store operation failed for good: a non-transient error, or transient errors that outlasted the adapter's
 * retries. The message names the operation, the collection or index and the document where there is one, so the
 * topology's error handling can report the record it was working on.
 */
public class VectorStoreException extends RuntimeException {

    public VectorStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public VectorStoreException(String message) {
        super(message);
    }
}
