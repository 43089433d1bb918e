package io.streamrag.inference.worker;

/** A request could not be queued within the submit timeout: the model is slower than its callers. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(String message) {
        super(message);
    }
}
