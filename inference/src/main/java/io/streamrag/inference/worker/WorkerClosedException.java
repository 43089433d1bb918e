package io.streamrag.inference.worker;

/** The worker was closed before the request could run. */
public final class WorkerClosedException extends IllegalStateException {
    public WorkerClosedException(String message) {
        super(message);
    }
}
