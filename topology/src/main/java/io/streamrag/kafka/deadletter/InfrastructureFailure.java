package io.streamrag.kafka.deadletter;

/**
 * Thrown (or used as a cause) when something the application depends on is unavailable: the vector store, a model
 * server, the registry. The dead-letter handlers never dead-letter such a failure: the role stops instead, so the
 * record is processed again after a restart rather than lost.
 */
public class InfrastructureFailure extends RuntimeException {

    public InfrastructureFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public InfrastructureFailure(String message) {
        super(message);
    }
}
