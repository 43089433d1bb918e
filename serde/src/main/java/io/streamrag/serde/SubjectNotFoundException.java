package io.streamrag.serde;

/** The subject has no registered schema (40401). */
public class SubjectNotFoundException extends SchemaRegistryException {

    public SubjectNotFoundException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
