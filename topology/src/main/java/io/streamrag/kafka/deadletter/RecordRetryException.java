package io.streamrag.kafka.deadletter;

/**
 * A record failed for a reason of its own but has not failed often enough to be quarantined (see
 * {@link FailureLedger}). Like an outage it is not dead-lettered at once: the stream thread is replaced and the record
 * is tried again from the last commit; unlike an outage, each try is counted, and after the configured number of
 * attempts the record goes to the dead-letter topic.
 */
public final class RecordRetryException extends RuntimeException {

    public RecordRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
